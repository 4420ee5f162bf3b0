//! Embeds the portcullis `Service` and walks through SPEC §5–§6: an organization with an OU and
//! member accounts, a portfolio with an `IAM` association and `IAM_PATTERN`s, an OU share with
//! principal sharing on, an account moved into the OU, then who may use the portfolio and why,
//! the reverse query, and what would have to be removed to revoke access.
//!
//! Run with `cargo run -p portcullis-api --example access`.

use portcullis_api::{AccessDecision, GrantVia, Service};
use portcullis_matcher::PrincipalArn;
use portcullis_model::{
    AssociatePrincipalWithPortfolioInput, Caller, CreateAccountRequest, CreateOrganizationRequest,
    CreateOrganizationalUnitRequest, CreatePortfolioInput, CreatePortfolioShareInput,
    CreateRoleInput, DisassociatePrincipalFromPortfolioInput, EnableAwsOrganizationsAccessInput,
    ListRootsRequest, MoveAccountRequest, OrganizationNodeInput, PortfolioId,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const MANAGEMENT: &str = "111122223333";
const OUTSIDER: &str = "999988887777";

fn caller(account: &str) -> Result<Caller> {
    Ok(Caller::new(
        "aws".parse()?,
        "us-east-1".parse()?,
        account.parse()?,
    ))
}

fn main() -> Result<()> {
    let service = Service::default();
    let management = caller(MANAGEMENT)?;

    // ---- the organization ---------------------------------------------------------------------
    println!("== Organization");
    let organization = service
        .create_organization(&management, CreateOrganizationRequest::default())?
        .organization;
    let root = service
        .list_roots(&management, ListRootsRequest::default())?
        .roots
        .into_iter()
        .next()
        .ok_or("the new organization has no root")?
        .id;
    let ou = service
        .create_organizational_unit(
            &management,
            CreateOrganizationalUnitRequest {
                parent_id: Some(root.to_string()),
                name: Some("developers".into()),
                ..Default::default()
            },
        )?
        .organizational_unit
        .id;
    let mut members = Vec::new();
    for name in ["dev-alpha", "dev-beta"] {
        let status = service
            .create_account(
                &management,
                CreateAccountRequest {
                    email: Some(format!("{name}@example.com")),
                    account_name: Some(name.into()),
                    ..Default::default()
                },
            )?
            .create_account_status;
        let id = status
            .account_id
            .ok_or("CreateAccount completed without an account id")?;
        members.push((name, id.to_string()));
    }
    let [(alpha_name, alpha), (beta_name, beta)] =
        <[_; 2]>::try_from(members).map_err(|_| "expected exactly two member accounts")?;
    service.enable_aws_organizations_access(&management, EnableAwsOrganizationsAccessInput {})?;
    println!(
        "  organization   {} (management account {MANAGEMENT})",
        organization.id
    );
    println!("  root           {root}");
    println!("  OU             {ou} \"developers\"");
    println!("  member         {alpha} \"{alpha_name}\"");
    println!("  member         {beta} \"{beta_name}\"");
    println!("  Service Catalog access to AWS Organizations: enabled");

    // ---- the portfolio and its principals ----------------------------------------------------
    println!();
    println!("== Portfolio");
    let portfolio = service
        .create_portfolio(
            &management,
            CreatePortfolioInput {
                display_name: Some("Developer tools".into()),
                provider_name: Some("Platform team".into()),
                ..Default::default()
            },
        )?
        .portfolio_detail;
    let id = portfolio.id;
    println!(
        "  {id} \"{}\" owned by {MANAGEMENT}",
        portfolio.display_name
    );
    // An `IAM` principal must exist before it is associated (SPEC §4.4): create the role.
    let lead = service
        .create_role(
            &management,
            CreateRoleInput {
                role_name: Some("DevLead".into()),
                assume_role_policy_document: Some("{}".into()),
                ..Default::default()
            },
        )?
        .role;
    println!("  role           {} ({})", lead.arn, lead.role_id);
    let lead = lead.arn;
    let associations = [
        (lead.as_str(), "IAM"),
        ("arn:aws:iam:::role/Dev*", "IAM_PATTERN"),
        ("arn:aws:iam:::role/*/ReadOnly_?", "IAM_PATTERN"),
    ];
    for (arn, principal_type) in associations {
        service.associate_principal_with_portfolio(
            &management,
            AssociatePrincipalWithPortfolioInput {
                portfolio_id: Some(id.to_string()),
                principal_arn: Some(arn.into()),
                principal_type: Some(principal_type.into()),
                ..Default::default()
            },
        )?;
        println!("  associated     {principal_type:<12} {arn}");
    }

    // ---- the share, and an account moving into the OU -----------------------------------------
    let share = service.create_portfolio_share(
        &management,
        CreatePortfolioShareInput {
            portfolio_id: Some(id.to_string()),
            organization_node: Some(OrganizationNodeInput {
                node_type: Some("ORGANIZATIONAL_UNIT".into()),
                value: Some(ou.to_string()),
            }),
            share_principals: Some(true),
            ..Default::default()
        },
    )?;
    let token = share
        .portfolio_share_token
        .map_or_else(|| "(none)".to_owned(), |t| t.to_string());
    println!("  shared with    OU {ou}, SharePrincipals=true (token {token})");
    service.move_account(
        &management,
        MoveAccountRequest {
            account_id: Some(alpha.clone()),
            source_parent_id: Some(root.to_string()),
            destination_parent_id: Some(ou.to_string()),
        },
    )?;
    println!("  moved          {alpha} \"{alpha_name}\" from the root into the OU");
    println!("  ({beta} \"{beta_name}\" stays under the root)");

    // ---- who may use it -----------------------------------------------------------------------
    println!();
    println!("== CheckPortfolioAccess on {id}");
    let probes = [
        (
            format!("arn:aws:iam::{MANAGEMENT}:role/DevLead"),
            "owner, IAM + pattern",
        ),
        (
            format!("arn:aws:iam::{MANAGEMENT}:role/Finance"),
            "owner, no association",
        ),
        (
            format!("arn:aws:iam::{alpha}:role/DevOps"),
            "member in the OU",
        ),
        (
            format!("arn:aws:iam::{alpha}:role/audit/ReadOnly_1"),
            "member in the OU",
        ),
        (
            format!("arn:aws:iam::{beta}:role/DevOps"),
            "member outside the OU",
        ),
        (
            format!("arn:aws:iam::{OUTSIDER}:role/DevOps"),
            "not in the organization",
        ),
    ];
    for (arn, who) in &probes {
        let principal = PrincipalArn::parse(arn)?;
        let decision = service.check_access(&management, &id, &principal)?;
        print_decision(arn, who, &decision);
    }

    // ---- the reverse query ----------------------------------------------------------------------
    println!();
    println!("== ListPortfoliosForPrincipal");
    for (arn, _) in &probes {
        let principal = PrincipalArn::parse(arn)?;
        let asker = caller(principal.account())?;
        let found = service.portfolios_for_principal(&asker, &principal)?;
        let names: Vec<String> = found
            .iter()
            .map(|p| format!("{} \"{}\"", p.id, p.display_name))
            .collect();
        let names = if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        };
        println!("  {arn:<52} {names}");
    }

    // ---- what revoking would take ------------------------------------------------------------------
    println!();
    println!("== Revoking access");
    let principal = PrincipalArn::parse(&lead)?;
    println!("  to end the access of {lead}, remove:");
    for a in service.associations_to_revoke(&management, &id, &principal)? {
        println!(
            "    - {:<12} {} (held by account {})",
            a.principal_type.to_string(),
            a.principal_arn,
            a.account_id
        );
    }
    disassociate(&service, &management, &id, &lead, "IAM")?;
    println!("  after removing only the IAM association:");
    print_decision(
        &lead,
        "owner",
        &service.check_access(&management, &id, &principal)?,
    );
    disassociate(
        &service,
        &management,
        &id,
        "arn:aws:iam:::role/Dev*",
        "IAM_PATTERN",
    )?;
    println!("  after also removing the pattern arn:aws:iam:::role/Dev*:");
    print_decision(
        &lead,
        "owner",
        &service.check_access(&management, &id, &principal)?,
    );
    let member = PrincipalArn::parse(&format!("arn:aws:iam::{alpha}:role/DevOps"))?;
    println!("  which also ends principal sharing in the OU:");
    print_decision(
        member.as_str(),
        "member in the OU",
        &service.check_access(&management, &id, &member)?,
    );
    Ok(())
}

fn disassociate(
    service: &Service,
    caller: &Caller,
    id: &PortfolioId,
    arn: &str,
    principal_type: &str,
) -> Result<()> {
    service.disassociate_principal_from_portfolio(
        caller,
        DisassociatePrincipalFromPortfolioInput {
            portfolio_id: Some(id.to_string()),
            principal_arn: Some(arn.into()),
            principal_type: Some(principal_type.into()),
            ..Default::default()
        },
    )?;
    Ok(())
}

fn print_decision(arn: &str, who: &str, decision: &AccessDecision) {
    let verdict = if decision.allowed() { "ALLOW" } else { "DENY " };
    println!("  {verdict} {arn}  ({who})");
    for grant in &decision.grants {
        let via = match &grant.via {
            GrantVia::Owner => "the owner's association".to_owned(),
            GrantVia::RecipientAssociation(share) => format!(
                "the recipient's association on its import through share with {}",
                share.target
            ),
            GrantVia::PrincipalSharing(share) => {
                format!("principal sharing through the share with {}", share.target)
            }
        };
        println!(
            "          by {} {} of account {}, via {via}",
            grant.principal_type, grant.principal_arn, grant.account
        );
    }
}
