//! The service error: an AWS exception name and a message.

use std::fmt;

/// The kind of a [`ServiceError`]: exactly the exception name AWS answers with (the `__type` of an
/// error body).
///
/// The first group is Service Catalog's (from its API model), then the wire-level errors of the
/// AWS JSON 1.1 protocol, then AWS Organizations' errors for the organizations subset the server
/// exposes, then the errors of SigV4 signature verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `InvalidParametersException`: a field is missing or breaks its rule.
    InvalidParameters,
    /// `ResourceNotFoundException`: the resource does not exist or the caller cannot see it.
    ResourceNotFound,
    /// `LimitExceededException`: the change would exceed a limit.
    LimitExceeded,
    /// `OperationNotSupportedException`: the operation is not allowed for this caller or resource.
    OperationNotSupported,
    /// `InvalidStateException`: the resource is not in a state that allows the operation.
    InvalidState,
    /// `ResourceInUseException`: the resource is still used by others.
    ResourceInUse,
    /// `DuplicateResourceException`: the resource already exists.
    DuplicateResource,
    /// `SerializationException`: the request body is not JSON or has a field of the wrong type.
    Serialization,
    /// `UnknownOperationException`: the target names no operation.
    UnknownOperation,
    /// `InternalFailure`: an unhandled server fault.
    InternalFailure,
    /// `AccessDeniedException` (Organizations).
    AccessDenied,
    /// `AWSOrganizationsNotInUseException` (Organizations): the account is in no organization.
    AwsOrganizationsNotInUse,
    /// `AlreadyInOrganizationException` (Organizations).
    AlreadyInOrganization,
    /// `ConstraintViolationException` (Organizations).
    ConstraintViolation,
    /// `InvalidInputException` (Organizations): a field is missing or breaks its rule.
    InvalidInput,
    /// `ParentNotFoundException` (Organizations).
    ParentNotFound,
    /// `SourceParentNotFoundException` (Organizations).
    SourceParentNotFound,
    /// `DestinationParentNotFoundException` (Organizations).
    DestinationParentNotFound,
    /// `DuplicateOrganizationalUnitException` (Organizations).
    DuplicateOrganizationalUnit,
    /// `DuplicateAccountException` (Organizations).
    DuplicateAccount,
    /// `AccountNotFoundException` (Organizations).
    AccountNotFound,
    /// `AccountAlreadyRegisteredException` (Organizations).
    AccountAlreadyRegistered,
    /// `AccountNotRegisteredException` (Organizations).
    AccountNotRegistered,
    /// `CreateAccountStatusNotFoundException` (Organizations).
    CreateAccountStatusNotFound,
    /// `MissingAuthenticationTokenException`: signatures are verified and the request has none.
    MissingAuthenticationToken,
    /// `UnrecognizedClientException`: the access key id is not known.
    UnrecognizedClient,
    /// `InvalidSignatureException`: the signature does not match, or its time is outside the
    /// clock-skew window.
    InvalidSignature,
    /// `IncompleteSignatureException`: the `Authorization` header lacks a part, or a header that
    /// must be signed is not.
    IncompleteSignature,
    /// `EntityAlreadyExists` (IAM, HTTP 409): a user, group or role with that name exists.
    EntityAlreadyExists,
    /// `NoSuchEntity` (IAM, HTTP 404): no user, group or role with that name.
    NoSuchEntity,
    /// `ValidationError` (IAM, STS): a parameter breaks its constraint.
    ValidationError,
    /// `InvalidAction` (AWS Query protocol): the `Action` names no operation of the service.
    InvalidAction,
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 32] = [
        ErrorKind::InvalidParameters,
        ErrorKind::ResourceNotFound,
        ErrorKind::LimitExceeded,
        ErrorKind::OperationNotSupported,
        ErrorKind::InvalidState,
        ErrorKind::ResourceInUse,
        ErrorKind::DuplicateResource,
        ErrorKind::Serialization,
        ErrorKind::UnknownOperation,
        ErrorKind::InternalFailure,
        ErrorKind::AccessDenied,
        ErrorKind::AwsOrganizationsNotInUse,
        ErrorKind::AlreadyInOrganization,
        ErrorKind::ConstraintViolation,
        ErrorKind::InvalidInput,
        ErrorKind::ParentNotFound,
        ErrorKind::SourceParentNotFound,
        ErrorKind::DestinationParentNotFound,
        ErrorKind::DuplicateOrganizationalUnit,
        ErrorKind::DuplicateAccount,
        ErrorKind::AccountNotFound,
        ErrorKind::AccountAlreadyRegistered,
        ErrorKind::AccountNotRegistered,
        ErrorKind::CreateAccountStatusNotFound,
        ErrorKind::MissingAuthenticationToken,
        ErrorKind::UnrecognizedClient,
        ErrorKind::InvalidSignature,
        ErrorKind::IncompleteSignature,
        ErrorKind::EntityAlreadyExists,
        ErrorKind::NoSuchEntity,
        ErrorKind::ValidationError,
        ErrorKind::InvalidAction,
    ];

    /// The exception name as AWS spells it on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidParameters => "InvalidParametersException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::LimitExceeded => "LimitExceededException",
            ErrorKind::OperationNotSupported => "OperationNotSupportedException",
            ErrorKind::InvalidState => "InvalidStateException",
            ErrorKind::ResourceInUse => "ResourceInUseException",
            ErrorKind::DuplicateResource => "DuplicateResourceException",
            ErrorKind::Serialization => "SerializationException",
            ErrorKind::UnknownOperation => "UnknownOperationException",
            ErrorKind::InternalFailure => "InternalFailure",
            ErrorKind::AccessDenied => "AccessDeniedException",
            ErrorKind::AwsOrganizationsNotInUse => "AWSOrganizationsNotInUseException",
            ErrorKind::AlreadyInOrganization => "AlreadyInOrganizationException",
            ErrorKind::ConstraintViolation => "ConstraintViolationException",
            ErrorKind::InvalidInput => "InvalidInputException",
            ErrorKind::ParentNotFound => "ParentNotFoundException",
            ErrorKind::SourceParentNotFound => "SourceParentNotFoundException",
            ErrorKind::DestinationParentNotFound => "DestinationParentNotFoundException",
            ErrorKind::DuplicateOrganizationalUnit => "DuplicateOrganizationalUnitException",
            ErrorKind::DuplicateAccount => "DuplicateAccountException",
            ErrorKind::AccountNotFound => "AccountNotFoundException",
            ErrorKind::AccountAlreadyRegistered => "AccountAlreadyRegisteredException",
            ErrorKind::AccountNotRegistered => "AccountNotRegisteredException",
            ErrorKind::CreateAccountStatusNotFound => "CreateAccountStatusNotFoundException",
            ErrorKind::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorKind::UnrecognizedClient => "UnrecognizedClientException",
            ErrorKind::InvalidSignature => "InvalidSignatureException",
            ErrorKind::IncompleteSignature => "IncompleteSignatureException",
            ErrorKind::EntityAlreadyExists => "EntityAlreadyExists",
            ErrorKind::NoSuchEntity => "NoSuchEntity",
            ErrorKind::ValidationError => "ValidationError",
            ErrorKind::InvalidAction => "InvalidAction",
        }
    }

    /// The kind named `name` on the wire, if any.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether the fault is the server's (`InternalFailure`) rather than the caller's.
    pub fn is_server_fault(self) -> bool {
        matches!(self, ErrorKind::InternalFailure)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operation's failure: what AWS would answer, an exception name and a message.
///
/// Messages follow the project's style: lowercase, no trailing period, user input in backticks;
/// except where AWS's exact words are documented and clients compare them (then AWS's words).
/// Some exceptions carry a `Reason` member (Organizations' `InvalidInputException`,
/// `ConstraintViolationException`): [`ServiceError::with_reason`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    kind: ErrorKind,
    message: String,
    reason: Option<&'static str>,
}

impl ServiceError {
    /// An error of any kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ServiceError {
        ServiceError {
            kind,
            message: message.into(),
            reason: None,
        }
    }

    /// The error with AWS's `Reason` member (an enum value of the exception's model, such as
    /// `UNRECOGNIZED_SERVICE_PRINCIPAL`).
    pub fn with_reason(self, reason: &'static str) -> ServiceError {
        ServiceError {
            reason: Some(reason),
            ..self
        }
    }

    /// The `Reason` member, when the exception has one.
    pub fn reason(&self) -> Option<&'static str> {
        self.reason
    }

    /// `InvalidParametersException`.
    pub fn invalid_parameters(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::InvalidParameters, message)
    }

    /// `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::ResourceNotFound, message)
    }

    /// `LimitExceededException`.
    pub fn limit_exceeded(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::LimitExceeded, message)
    }

    /// `OperationNotSupportedException`.
    pub fn operation_not_supported(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::OperationNotSupported, message)
    }

    /// `InvalidStateException`.
    pub fn invalid_state(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::InvalidState, message)
    }

    /// `ResourceInUseException`.
    pub fn resource_in_use(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::ResourceInUse, message)
    }

    /// `DuplicateResourceException`.
    pub fn duplicate_resource(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::DuplicateResource, message)
    }

    /// `SerializationException`.
    pub fn serialization(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::Serialization, message)
    }

    /// `UnknownOperationException`.
    pub fn unknown_operation(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::UnknownOperation, message)
    }

    /// `InternalFailure`.
    pub fn internal_failure(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::InternalFailure, message)
    }

    /// `InvalidParametersException` for a required field that is absent.
    pub fn missing_field(field: &str) -> ServiceError {
        ServiceError::invalid_parameters(format!("missing required field `{field}`"))
    }

    /// The exception name.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kinds_use_aws_exception_names() {
        assert_eq!(
            ErrorKind::InvalidParameters.as_str(),
            "InvalidParametersException"
        );
        assert_eq!(
            ErrorKind::ResourceNotFound.as_str(),
            "ResourceNotFoundException"
        );
        assert_eq!(ErrorKind::LimitExceeded.as_str(), "LimitExceededException");
        assert_eq!(
            ErrorKind::OperationNotSupported.as_str(),
            "OperationNotSupportedException"
        );
        assert_eq!(ErrorKind::InvalidState.as_str(), "InvalidStateException");
        assert_eq!(ErrorKind::ResourceInUse.as_str(), "ResourceInUseException");
        assert_eq!(
            ErrorKind::DuplicateResource.as_str(),
            "DuplicateResourceException"
        );
        assert_eq!(ErrorKind::Serialization.as_str(), "SerializationException");
        assert_eq!(
            ErrorKind::UnknownOperation.as_str(),
            "UnknownOperationException"
        );
        assert_eq!(ErrorKind::InternalFailure.as_str(), "InternalFailure");
        assert_eq!(
            ErrorKind::AwsOrganizationsNotInUse.to_string(),
            "AWSOrganizationsNotInUseException"
        );
    }

    #[test]
    fn error_kind_names_round_trip_and_are_distinct() {
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(kind.as_str()), Some(kind));
        }
        let mut names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
        assert_eq!(ErrorKind::from_name("NoSuchException"), None);
    }

    #[test]
    fn only_internal_failure_is_a_server_fault() {
        for kind in ErrorKind::ALL {
            assert_eq!(kind.is_server_fault(), kind == ErrorKind::InternalFailure);
        }
    }

    #[test]
    fn service_error_carries_kind_and_message() {
        let e = ServiceError::not_found("portfolio `port-x` not found");
        assert_eq!(e.kind(), ErrorKind::ResourceNotFound);
        assert_eq!(e.message(), "portfolio `port-x` not found");
        assert_eq!(
            e.to_string(),
            "ResourceNotFoundException: portfolio `port-x` not found"
        );
        let e = ServiceError::missing_field("PortfolioId");
        assert_eq!(e.kind(), ErrorKind::InvalidParameters);
        assert_eq!(e.message(), "missing required field `PortfolioId`");
    }
}
