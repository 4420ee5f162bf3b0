#!/usr/bin/env python3
"""End-to-end check of the portcullis server with the ordinary boto3 clients (and the AWS CLI v1
when it is on PATH).

    python3 e2e/boto3_check.py [PATH_TO_PORTCULLIS]

The binary is the first argument, else $PORTCULLIS_BIN, else target/debug/portcullis. The script
starts it on a free loopback port, reads its `listening on http://ADDR:PORT` line, runs every
check against it, prints one line per check and then `N passed, M failed`; it exits 1 if any
check failed. Accounts are access key ids: a 12-digit key is the caller's account.

Needs boto3 (the newest: .ci/run installs it). botocore prefers AWS JSON 1.1 when a model offers
it beside Smithy RPC v2 CBOR, so these checks run over JSON; e2e/cbor_check.py drives the same
server over CBOR.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import urllib.request

import portcullis_server
import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

OWNER = "111111111111"
OTHER = "222222222222"
MANAGEMENT = "333333333333"
REGION = "us-east-1"

PASSED = 0
FAILED = 0


def check(name, fn):
    """Runs one check; a check is a function that asserts."""
    global PASSED, FAILED
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any failure is a failed check
        FAILED += 1
        print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        traceback.print_exc(limit=3, file=sys.stdout)
    else:
        PASSED += 1
        print(f"ok   {name}", flush=True)


def expect_error(code, fn, message=None):
    """Asserts that `fn` raises a ClientError with this code (and message, if given)."""
    try:
        fn()
    except ClientError as e:
        error = e.response["Error"]
        assert error["Code"] == code, f"expected {code}, got {error}"
        if message is not None:
            assert error["Message"] == message, f"expected message {message!r}, got {error}"
        return error
    raise AssertionError(f"expected {code}, got success")


def start_server(binary, data_dir):
    """Starts `portcullis serve` on a free port, its state in `data_dir`; returns (process,
    endpoint URL)."""
    proc, endpoint, _ = portcullis_server.start(binary, "--data-dir", data_dir)
    return proc, endpoint


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "PORTCULLIS_BIN", "target/debug/portcullis"
    )
    if not os.path.exists(binary):
        raise SystemExit(f"no portcullis binary at {binary}: build it with `cargo build -p portcullis-server`")
    with tempfile.TemporaryDirectory(prefix="portcullis-e2e-") as data_dir:
        proc, endpoint = start_server(binary, data_dir)
        print(f"portcullis at {endpoint} ({binary}, data in {data_dir}), boto3 {boto3.__version__}", flush=True)
        try:
            run(endpoint)
            before = portfolio_ids(endpoint)
            roles_before = principal_ids(endpoint)
        finally:
            stop(proc)
        # The state outlives the server: a restart on the same data directory serves it again.
        proc, endpoint = start_server(binary, data_dir)
        try:
            def survives():
                after = portfolio_ids(endpoint)
                assert before and after == before, f"{before} before the restart, {after} after"

            check("state survives a restart on the same data directory", survives)

            def principals_survive():
                after = principal_ids(endpoint)
                assert roles_before and after == roles_before, f"{roles_before} before the restart, {after} after"

            check("IAM principals and their unique ids survive a restart", principals_survive)
        finally:
            stop(proc)
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def portfolio_ids(endpoint):
    catalog = boto3.client("servicecatalog", endpoint_url=endpoint, region_name=REGION,
                           aws_access_key_id=OWNER, aws_secret_access_key="any")
    return [p["Id"] for p in catalog.list_portfolios(PageSize=100)["PortfolioDetails"]]


def portcullis(endpoint, operation, account, body):
    """One of portcullis's own operations (no boto3 model), over AWS JSON 1.1."""
    request = urllib.request.Request(
        endpoint + "/",
        data=json.dumps(body).encode(),
        headers={
            "X-Amz-Target": f"PortcullisService.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={account}/20250101/{REGION}/servicecatalog/aws4_request, "
            "SignedHeaders=host, Signature=x",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def principal_ids(endpoint):
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id=OWNER, aws_secret_access_key="any")
    return sorted(r["RoleId"] for r in iam.list_roles()["Roles"])


def run(endpoint):
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)

    def client(service, account):
        return boto3.client(
            service,
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=account,
            aws_secret_access_key="any",
            config=config,
        )

    owner = client("servicecatalog", OWNER)
    other = client("servicecatalog", OTHER)
    iam = client("iam", OWNER)
    state = {}

    def protocol():
        # These checks are about AWS JSON 1.1; e2e/cbor_check.py covers rpc-v2-cbor.
        # From botocore 1.44.1, Service Catalog's model lists `smithy-rpc-v2-cbor` first
        # (`protocol`); botocore talks the protocol it resolves by its own priority, AWS JSON 1.1
        # first (`resolved_protocol`).
        for service in ("servicecatalog", "organizations"):
            model = client(service, OWNER).meta.service_model
            chosen = getattr(model, "resolved_protocol", None) or model.protocol
            assert chosen == "json", f"botocore {botocore.__version__} talks {chosen!r} to {service}, not AWS JSON 1.1"

    check("botocore talks AWS JSON 1.1 to servicecatalog and organizations", protocol)

    def query_protocol():
        for service in ("iam", "sts"):
            chosen = client(service, OWNER).meta.service_model.protocol
            assert chosen == "query", f"botocore {botocore.__version__} talks {chosen!r} to {service}, not AWS Query"

    check("botocore talks AWS Query to iam and sts", query_protocol)

    # --- The IAM subset and STS (SPEC §4.4) ---------------------------------------------------

    def caller_identity():
        identity = client("sts", OTHER).get_caller_identity()
        assert identity["Account"] == OTHER, identity
        assert identity["Arn"] == f"arn:aws:iam::{OTHER}:root", identity

    check("STS GetCallerIdentity answers the caller's account", caller_identity)

    def iam_principals():
        user = iam.create_user(UserName="alice", Path="/dev/")["User"]
        assert user["Arn"] == f"arn:aws:iam::{OWNER}:user/dev/alice", user
        assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21, user
        assert iam.get_user(UserName="alice")["User"]["UserId"] == user["UserId"]
        role = iam.create_role(
            RoleName="DevOps", AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}'
        )["Role"]
        assert role["RoleId"].startswith("AROA") and role["Arn"] == f"arn:aws:iam::{OWNER}:role/DevOps", role
        assert role["AssumeRolePolicyDocument"] == {"Version": "2012-10-17", "Statement": []}, role
        group = iam.create_group(GroupName="Admins")["Group"]
        assert group["GroupId"].startswith("AGPA"), group
        assert iam.get_group(GroupName="Admins")["Users"] == []
        state["role_id"] = role["RoleId"]

    check("IAM CreateUser/GetUser, CreateRole, CreateGroup/GetGroup: AIDA/AROA/AGPA unique ids", iam_principals)

    def iam_errors():
        error = expect_error("EntityAlreadyExists", lambda: iam.create_user(UserName="ALICE"),
                             "User with name ALICE already exists.")
        assert error["Type"] == "Sender", error
        try:
            iam.get_role(RoleName="nobody")
        except iam.exceptions.NoSuchEntityException as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, e.response
            assert e.response["Error"]["Message"] == "The role with name nobody cannot be found.", e.response
        else:
            raise AssertionError("GetRole of a missing role succeeded")
        expect_error("ValidationError", lambda: iam.create_user(UserName="has space"))
        try:
            iam.create_group(GroupName="Admins")
        except iam.exceptions.EntityAlreadyExistsException as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409, e.response
        else:
            raise AssertionError("a second group Admins was created")

    check("IAM errors: EntityAlreadyExists 409, NoSuchEntity 404, ValidationError 400 (XML)", iam_errors)

    def iam_paging():
        for i in range(5):
            iam.create_user(UserName=f"user{i}")
        pages = list(iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}))
        assert len(pages) == 3, pages
        names = [u["UserName"] for page in pages for u in page["Users"]]
        assert names == ["alice", "user0", "user1", "user2", "user3", "user4"], names
        dev = iam.list_users(PathPrefix="/dev/")["Users"]
        assert [u["UserName"] for u in dev] == ["alice"], dev
        for i in range(5):
            iam.delete_user(UserName=f"user{i}")
        assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"]
        assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["DevOps"]
        assert [g["GroupName"] for g in iam.list_groups()["Groups"]] == ["Admins"]

    check("IAM ListUsers paginator (Marker/MaxItems), PathPrefix, DeleteUser, ListRoles, ListGroups", iam_paging)

    # --- AssociatePrincipalWithPortfolio -------------------------------------------------------

    def create_portfolio():
        detail = owner.create_portfolio(DisplayName="Dev tools", ProviderName="Platform")["PortfolioDetail"]
        assert detail["Id"].startswith("port-") and len(detail["Id"]) == 18, detail
        assert detail["ARN"] == f"arn:aws:catalog:{REGION}:{OWNER}:portfolio/{detail['Id']}", detail
        state["pid"] = detail["Id"]

    check("CreatePortfolio returns a port- id and the portfolio ARN", create_portfolio)
    pid = state.get("pid", "port-missing00000")

    def associate_missing_principal():
        error = expect_error(
            "InvalidParametersException",
            lambda: owner.associate_principal_with_portfolio(
                PortfolioId=pid, PrincipalARN=f"arn:aws:iam::{OWNER}:role/NeverCreated", PrincipalType="IAM"
            ),
        )
        assert error["Message"].startswith("Invalid input parameter(s)"), error

    check("AssociatePrincipalWithPortfolio IAM of a principal that does not exist -> InvalidParametersException",
          associate_missing_principal)

    def associate_iam():
        # The role was created with the IAM API above: an IAM principal must exist (SPEC §4.4).
        arn = f"arn:aws:iam::{OWNER}:role/DevOps"
        assert owner.associate_principal_with_portfolio(
            PortfolioId=pid, PrincipalARN=arn, PrincipalType="IAM"
        )["ResponseMetadata"]["HTTPStatusCode"] == 200
        # Idempotent: the same association again succeeds and changes nothing.
        owner.associate_principal_with_portfolio(PortfolioId=pid, PrincipalARN=arn, PrincipalType="IAM")
        principals = owner.list_principals_for_portfolio(PortfolioId=pid)["Principals"]
        assert principals == [{"PrincipalARN": arn, "PrincipalType": "IAM"}], principals

    check("AssociatePrincipalWithPortfolio IAM (twice: idempotent)", associate_iam)

    def associate_patterns():
        for i in range(10):
            owner.associate_principal_with_portfolio(
                PortfolioId=pid, PrincipalARN=f"arn:aws:iam:::role/Team{i}-*", PrincipalType="IAM_PATTERN"
            )
        principals = owner.list_principals_for_portfolio(PortfolioId=pid, PageSize=100)["Principals"]
        patterns = [p for p in principals if p["PrincipalType"] == "IAM_PATTERN"]
        assert len(patterns) == 10, principals

    check("AssociatePrincipalWithPortfolio IAM_PATTERN x10", associate_patterns)

    def eleventh_pattern():
        expect_error(
            "LimitExceededException",
            lambda: owner.associate_principal_with_portfolio(
                PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team10-*", PrincipalType="IAM_PATTERN"
            ),
        )
        # An existing pattern again is still fine: it does not count twice.
        owner.associate_principal_with_portfolio(
            PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team0-*", PrincipalType="IAM_PATTERN"
        )

    check("11th IAM_PATTERN -> LimitExceededException", eleventh_pattern)

    def wrong_account():
        expect_error(
            "ResourceNotFoundException",
            lambda: owner.associate_principal_with_portfolio(
                PortfolioId=pid, PrincipalARN=f"arn:aws:iam::{OTHER}:role/DevOps", PrincipalType="IAM"
            ),
            message=f"caller account id ({OWNER}) does not match input account id ({OTHER})",
        )

    check("IAM principal of another account -> ResourceNotFoundException (account message)", wrong_account)

    def invalid_pattern():
        expect_error(
            "InvalidParametersException",
            lambda: owner.associate_principal_with_portfolio(
                PortfolioId=pid, PrincipalARN="arn:aws:iam:::*/ResourceName", PrincipalType="IAM_PATTERN"
            ),
        )

    check("wildcard in the resource type -> InvalidParametersException", invalid_pattern)

    def unknown_portfolio():
        expect_error(
            "ResourceNotFoundException",
            lambda: other.associate_principal_with_portfolio(
                PortfolioId=pid, PrincipalARN=f"arn:aws:iam::{OTHER}:role/DevOps", PrincipalType="IAM"
            ),
        )

    check("associate on a portfolio the caller cannot see -> ResourceNotFoundException", unknown_portfolio)

    # --- DisassociatePrincipalFromPortfolio ----------------------------------------------------

    def disassociate_type_mismatch():
        expect_error(
            "ResourceNotFoundException",
            lambda: owner.disassociate_principal_from_portfolio(
                PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team9-*", PrincipalType="IAM"
            ),
        )
        # PrincipalType omitted means IAM: still a mismatch for a pattern.
        expect_error(
            "ResourceNotFoundException",
            lambda: owner.disassociate_principal_from_portfolio(
                PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team9-*"
            ),
        )

    check("Disassociate an IAM_PATTERN as IAM (and with no type) -> ResourceNotFoundException", disassociate_type_mismatch)

    def disassociate():
        owner.disassociate_principal_from_portfolio(
            PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team9-*", PrincipalType="IAM_PATTERN"
        )
        owner.disassociate_principal_from_portfolio(PortfolioId=pid, PrincipalARN=f"arn:aws:iam::{OWNER}:role/DevOps")
        principals = owner.list_principals_for_portfolio(PortfolioId=pid, PageSize=100)["Principals"]
        arns = {p["PrincipalARN"] for p in principals}
        assert "arn:aws:iam:::role/Team9-*" not in arns and f"arn:aws:iam::{OWNER}:role/DevOps" not in arns, arns
        assert len(principals) == 9, principals
        expect_error(
            "ResourceNotFoundException",
            lambda: owner.disassociate_principal_from_portfolio(
                PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team9-*", PrincipalType="IAM_PATTERN"
            ),
        )
        # A pattern slot is free again.
        owner.associate_principal_with_portfolio(
            PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Team10-*", PrincipalType="IAM_PATTERN"
        )

    check("DisassociatePrincipalFromPortfolio IAM_PATTERN and IAM; again -> ResourceNotFoundException", disassociate)

    def bound_to_the_principal():
        # The association is bound to the principal (SPEC §4.4): deleted, the listing shows its
        # unique id; created again under the same name, the old association does not grant it.
        bound = owner.create_portfolio(DisplayName="Bound", ProviderName="Platform")["PortfolioDetail"]["Id"]
        arn = iam.create_role(RoleName="Builder", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        old_id = iam.get_role(RoleName="Builder")["Role"]["RoleId"]
        owner.associate_principal_with_portfolio(PortfolioId=bound, PrincipalARN=arn, PrincipalType="IAM")
        assert owner.list_principals_for_portfolio(PortfolioId=bound)["Principals"] == [
            {"PrincipalARN": arn, "PrincipalType": "IAM"}
        ]
        iam.delete_role(RoleName="Builder")
        assert owner.list_principals_for_portfolio(PortfolioId=bound)["Principals"] == [
            {"PrincipalARN": old_id, "PrincipalType": "IAM"}
        ]
        new_id = iam.create_role(RoleName="Builder", AssumeRolePolicyDocument="{}")["Role"]["RoleId"]
        assert new_id != old_id
        answer = portcullis(endpoint, "CheckPortfolioAccess", OWNER, {"PortfolioId": bound, "PrincipalARN": arn})
        assert answer["Allowed"] is False, answer
        assert answer["UnboundAssociations"][0]["PrincipalId"] == old_id, answer
        # The orphan goes by the unique id it is listed with.
        owner.disassociate_principal_from_portfolio(PortfolioId=bound, PrincipalARN=old_id)
        assert owner.list_principals_for_portfolio(PortfolioId=bound)["Principals"] == []
        owner.delete_portfolio(Id=bound)
        iam.delete_role(RoleName="Builder")

    check("IAM associations are bound to the principal: unique id once deleted, not granted when recreated",
          bound_to_the_principal)

    # --- CreatePortfolioShare to an account ----------------------------------------------------

    def share_account():
        out = owner.create_portfolio_share(PortfolioId=pid, AccountId=OTHER)
        assert "PortfolioShareToken" not in out, out
        owner.create_portfolio_share(PortfolioId=pid, AccountId=OTHER)  # idempotent
        shares = owner.describe_portfolio_shares(PortfolioId=pid, Type="ACCOUNT")["PortfolioShareDetails"]
        assert len(shares) == 1 and shares[0]["PrincipalId"] == OTHER, shares
        assert shares[0]["Accepted"] is False, shares

    check("CreatePortfolioShare AccountId (twice: idempotent), not yet accepted", share_account)

    def share_rules():
        expect_error("InvalidParametersException", lambda: owner.create_portfolio_share(PortfolioId=pid, AccountId=OWNER))
        expect_error(
            "InvalidParametersException",
            lambda: owner.create_portfolio_share(PortfolioId=pid, AccountId=OTHER, SharePrincipals=True),
        )
        expect_error("InvalidParametersException", lambda: owner.create_portfolio_share(PortfolioId=pid))
        expect_error("ResourceNotFoundException", lambda: other.create_portfolio_share(PortfolioId=pid, AccountId=OWNER))

    check("CreatePortfolioShare to self / SharePrincipals with an account / no target / not owner", share_rules)

    def accept_account_share():
        other.accept_portfolio_share(PortfolioId=pid)
        shares = owner.describe_portfolio_shares(PortfolioId=pid, Type="ACCOUNT")["PortfolioShareDetails"]
        assert shares[0]["Accepted"] is True, shares
        detail = other.describe_portfolio(Id=pid)["PortfolioDetail"]
        assert detail["Id"] == pid and detail["DisplayName"] == "Dev tools", detail
        imported = other.list_accepted_portfolio_shares()["PortfolioDetails"]
        assert [p["Id"] for p in imported] == [pid], imported
        # The recipient cannot share a shared portfolio again.
        expect_error(
            "OperationNotSupportedException",
            lambda: other.create_portfolio_share(PortfolioId=pid, AccountId="444444444444"),
        )

    check("recipient AcceptPortfolioShare, DescribePortfolio, no re-share", accept_account_share)

    # --- Organization scenario -----------------------------------------------------------------

    orgs = client("organizations", MANAGEMENT)
    manager = client("servicecatalog", MANAGEMENT)

    def build_organization():
        org = orgs.create_organization(FeatureSet="ALL")["Organization"]
        assert org["Id"].startswith("o-") and org["MasterAccountId"] == MANAGEMENT, org
        roots = orgs.list_roots()["Roots"]
        assert len(roots) == 1, roots
        ou = orgs.create_organizational_unit(ParentId=roots[0]["Id"], Name="Dev")["OrganizationalUnit"]
        assert ou["Id"].startswith("ou-"), ou
        status = orgs.create_account(Email="dev@example.com", AccountName="dev")["CreateAccountStatus"]
        assert status["State"] == "SUCCEEDED", status
        account = status["AccountId"]
        assert len(account) == 12 and account.isdigit(), status
        assert orgs.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"][
            "AccountId"
        ] == account
        orgs.move_account(AccountId=account, SourceParentId=roots[0]["Id"], DestinationParentId=ou["Id"])
        accounts = {a["Id"] for a in orgs.list_accounts()["Accounts"]}
        assert {MANAGEMENT, account} <= accounts, accounts
        in_ou = orgs.list_organizational_units_for_parent(ParentId=roots[0]["Id"])["OrganizationalUnits"]
        assert [o["Id"] for o in in_ou] == [ou["Id"]], in_ou
        state.update(org=org["Id"], root=roots[0]["Id"], ou=ou["Id"], member=account)

    check("Organizations: CreateOrganization, ListRoots, CreateOrganizationalUnit, CreateAccount, MoveAccount", build_organization)

    def org_portfolio():
        state["org_pid"] = manager.create_portfolio(DisplayName="Shared", ProviderName="Platform")["PortfolioDetail"]["Id"]
        manager.associate_principal_with_portfolio(
            PortfolioId=state["org_pid"], PrincipalARN="arn:aws:iam:::role/Dev*", PrincipalType="IAM_PATTERN"
        )

    check("management account: CreatePortfolio + IAM_PATTERN association", org_portfolio)
    org_pid = state.get("org_pid", "port-missing00000")
    ou_node = {"Type": "ORGANIZATIONAL_UNIT", "Value": state.get("ou", "ou-missing-00000000")}

    def share_before_enabling():
        expect_error(
            "InvalidStateException",
            lambda: manager.create_portfolio_share(PortfolioId=org_pid, OrganizationNode=ou_node),
        )

    check("organization-node share before EnableAWSOrganizationsAccess -> InvalidStateException", share_before_enabling)

    def enable_access():
        manager.enable_aws_organizations_access()
        assert manager.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"

    check("EnableAWSOrganizationsAccess -> ENABLED", enable_access)

    def share_ou():
        token = manager.create_portfolio_share(
            PortfolioId=org_pid, OrganizationNode=ou_node, SharePrincipals=True
        )["PortfolioShareToken"]
        assert token.startswith("share-"), token
        again = manager.create_portfolio_share(PortfolioId=org_pid, OrganizationNode=ou_node, SharePrincipals=True)
        assert again["PortfolioShareToken"] == token, again
        shares = manager.describe_portfolio_shares(PortfolioId=org_pid, Type="ORGANIZATIONAL_UNIT")[
            "PortfolioShareDetails"
        ]
        assert len(shares) == 1 and shares[0]["PrincipalId"] == ou_node["Value"], shares
        assert shares[0]["SharePrincipals"] is True, shares
        state["token"] = token

    check("CreatePortfolioShare to an OU with SharePrincipals (twice: same token)", share_ou)

    def share_status():
        status = manager.describe_portfolio_share_status(PortfolioShareToken=state["token"])
        assert status["Status"] == "COMPLETED", status
        assert status["PortfolioId"] == org_pid and status["OrganizationNodeValue"] == ou_node["Value"], status
        successful = status["ShareDetails"]["SuccessfulShares"]
        assert state["member"] in successful, status

    check("DescribePortfolioShareStatus COMPLETED, member account listed", share_status)

    def share_organization():
        token = manager.create_portfolio_share(
            PortfolioId=org_pid, OrganizationNode={"Type": "ORGANIZATION", "Value": state["org"]}, SharePrincipals=True
        )["PortfolioShareToken"]
        assert token.startswith("share-"), token
        shares = manager.describe_portfolio_shares(PortfolioId=org_pid, Type="ORGANIZATION")["PortfolioShareDetails"]
        assert [s["PrincipalId"] for s in shares] == [state["org"]], shares
        expect_error(
            "ResourceNotFoundException",
            lambda: manager.create_portfolio_share(
                PortfolioId=org_pid, OrganizationNode={"Type": "ORGANIZATIONAL_UNIT", "Value": "ou-zzzz-zzzzzzzz"}
            ),
        )

    check("CreatePortfolioShare to the ORGANIZATION; unknown OU -> ResourceNotFoundException", share_organization)

    def recipient_accepts():
        member = client("servicecatalog", state["member"])
        # Reached only through an organization share: the default type does not find it.
        expect_error(
            "ResourceNotFoundException",
            lambda: member.accept_portfolio_share(PortfolioId=org_pid),
            message=f"Portfolio not found: {org_pid}",
        )
        member.accept_portfolio_share(PortfolioId=org_pid, PortfolioShareType="AWS_ORGANIZATIONS")
        detail = member.describe_portfolio(Id=org_pid)["PortfolioDetail"]
        assert detail["Id"] == org_pid and detail["DisplayName"] == "Shared", detail
        imported = member.list_accepted_portfolio_shares(PortfolioShareType="AWS_ORGANIZATIONS")["PortfolioDetails"]
        assert [p["Id"] for p in imported] == [org_pid], imported
        # An account outside the organization sees nothing.
        expect_error("ResourceNotFoundException", lambda: other.describe_portfolio(Id=org_pid))

    check("recipient AcceptPortfolioShare AWS_ORGANIZATIONS, DescribePortfolio", recipient_accepts)

    def principal_name_sharing():
        # portcullis's own question, over the same protocol (no boto3 model): a role of the member
        # account matching the owner's IAM_PATTERN may use the portfolio through the OU share.
        member = state["member"]
        request = urllib.request.Request(
            endpoint + "/",
            data=json.dumps({"PortfolioId": org_pid, "PrincipalARN": f"arn:aws:iam::{member}:role/DevOps"}).encode(),
            headers={
                "X-Amz-Target": "PortcullisService.CheckPortfolioAccess",
                "Content-Type": "application/x-amz-json-1.1",
                "Authorization": f"AWS4-HMAC-SHA256 Credential={member}/20250101/{REGION}/servicecatalog/aws4_request, "
                "SignedHeaders=host, Signature=x",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert answer["Allowed"] is True, answer
        grants = answer["Grants"]
        assert any(
            g["Association"]["PrincipalARN"] == "arn:aws:iam:::role/Dev*" and g["Share"]["SharePrincipals"] is True
            for g in grants
        ), answer

    check("PortcullisService.CheckPortfolioAccess: principal name sharing through the OU share", principal_name_sharing)

    # --- Products (issue 10, item 2) -------------------------------------------------------------

    def products():
        created = owner.create_product(
            Name="Web server",
            Owner="Platform team",
            ProductType="CLOUD_FORMATION_TEMPLATE",
            Tags=[{"Key": "team", "Value": "platform"}],
            ProvisioningArtifactParameters={
                "Name": "v1",
                "Info": {"LoadTemplateFromURL": "https://example.com/template.json"},
                "Type": "CLOUD_FORMATION_TEMPLATE",
            },
        )
        detail = created["ProductViewDetail"]
        summary = detail["ProductViewSummary"]
        product = summary["ProductId"]
        assert product.startswith("prod-") and summary["Id"].startswith("prodview-"), summary
        assert detail["Status"] == "AVAILABLE", detail
        assert detail["ProductARN"] == f"arn:aws:catalog:{REGION}:{OWNER}:product/{product}", detail
        assert created["ProvisioningArtifactDetail"]["Id"].startswith("pa-"), created
        assert created["Tags"] == [{"Key": "team", "Value": "platform"}], created
        assert owner.describe_product(Id=product)["ProductViewSummary"]["Name"] == "Web server"
        assert owner.describe_product(Name="Web server")["ProductViewSummary"]["ProductId"] == product
        admin = owner.describe_product_as_admin(Id=product)
        assert len(admin["ProvisioningArtifactSummaries"]) == 1 and admin["TagOptions"] == [], admin
        expect_error(
            "InvalidParametersException",
            lambda: owner.describe_product(),
            message="Either Id or Name must be specified.",
        )
        portfolio = owner.create_portfolio(DisplayName="Products", ProviderName="me")["PortfolioDetail"]["Id"]
        owner.associate_product_with_portfolio(ProductId=product, PortfolioId=portfolio)
        owner.associate_product_with_portfolio(ProductId=product, PortfolioId=portfolio)  # idempotent
        listed = owner.list_portfolios_for_product(ProductId=product)["PortfolioDetails"]
        assert [p["Id"] for p in listed] == [portfolio], listed
        expect_error("ResourceInUseException", lambda: owner.delete_product(Id=product))
        expect_error("ResourceInUseException", lambda: owner.delete_portfolio(Id=portfolio))
        updated = owner.update_product(Id=product, Name="Web", AddTags=[{"Key": "tier", "Value": "1"}])
        assert updated["ProductViewDetail"]["ProductViewSummary"]["Name"] == "Web", updated
        owner.create_product(Name="Another", Owner="Data team", ProductType="EXTERNAL")
        found = owner.search_products_as_admin(
            Filters={"FullTextSearch": ["web"]}, SortBy="Title", SortOrder="DESCENDING", ProductSource="ACCOUNT"
        )["ProductViewDetails"]
        assert [d["ProductViewSummary"]["ProductId"] for d in found] == [product], found
        in_portfolio = owner.search_products_as_admin(PortfolioId=portfolio)["ProductViewDetails"]
        assert len(in_portfolio) == 1, in_portfolio
        state["product"], state["product_portfolio"] = product, portfolio

    check("products: CreateProduct, DescribeProduct(AsAdmin), associate, list, search, update, in use", products)

    def products_for_principal():
        # portcullis's own question (no boto3 model): which products may this principal launch?
        product, portfolio = state["product"], state["product_portfolio"]
        owner.associate_principal_with_portfolio(
            PortfolioId=portfolio, PrincipalARN="arn:aws:iam:::role/Launcher*", PrincipalType="IAM_PATTERN"
        )
        answer = portcullis(endpoint, "ListProductsForPrincipal", OWNER,
                            {"PrincipalARN": f"arn:aws:iam::{OWNER}:role/LauncherBot"})
        access = answer["ProductAccess"]
        assert [(a["ProductViewSummary"]["ProductId"], a["PortfolioId"]) for a in access] == [(product, portfolio)], answer
        assert access[0]["Grants"][0]["Association"]["PrincipalARN"] == "arn:aws:iam:::role/Launcher*", answer
        nothing = portcullis(endpoint, "ListProductsForPrincipal", OWNER,
                             {"PrincipalARN": f"arn:aws:iam::{OWNER}:role/Other"})
        assert nothing["ProductAccess"] == [], nothing

    check("PortcullisService.ListProductsForPrincipal: the product, its portfolio and the grant", products_for_principal)

    def products_shared():
        product, portfolio = state["product"], state["product_portfolio"]
        expect_error(
            "ResourceNotFoundException",
            lambda: other.describe_product(Id=product),
            message=f"Product with Id '{product}' not found.",
        )
        owner.create_portfolio_share(PortfolioId=portfolio, AccountId=OTHER)
        other.accept_portfolio_share(PortfolioId=portfolio)
        seen = other.describe_product(Id=product)
        assert seen["ProductViewSummary"]["ProductId"] == product, seen
        assert [p["Id"] for p in seen["LaunchPaths"]] == [portfolio], seen
        local = other.create_portfolio(DisplayName="Local", ProviderName="them")["PortfolioDetail"]["Id"]
        expect_error(
            "ResourceNotFoundException",
            lambda: other.associate_product_with_portfolio(ProductId=product, PortfolioId=local),
        )
        other.associate_product_with_portfolio(ProductId=product, PortfolioId=local, SourcePortfolioId=portfolio)
        assert [p["Id"] for p in other.list_portfolios_for_product(ProductId=product)["PortfolioDetails"]] == [local]
        expect_error("ResourceNotFoundException", lambda: other.delete_product(Id=product))
        other.disassociate_product_from_portfolio(ProductId=product, PortfolioId=local)
        owner.delete_portfolio_share(PortfolioId=portfolio, AccountId=OTHER)
        owner.disassociate_product_from_portfolio(ProductId=product, PortfolioId=portfolio)
        owner.delete_product(Id=product)
        expect_error(
            "ResourceNotFoundException",
            lambda: owner.describe_product(Id=product),
            message=f"Product with Id '{product}' not found.",
        )

    check("products of a shared portfolio: the recipient sees them and adds one with SourcePortfolioId", products_shared)

    # --- The AWS CLI v1 snippet of the README --------------------------------------------------

    aws = shutil.which("aws")
    if aws is None:
        print("skip AWS CLI snippet: `aws` is not on PATH", flush=True)
        return

    def cli_snippet():
        env = dict(os.environ)
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            env.pop(key, None)
        env.update(
            AWS_ACCESS_KEY_ID=OWNER, AWS_SECRET_ACCESS_KEY="any", AWS_DEFAULT_REGION=REGION, AWS_PAGER=""
        )
        base = [aws, "--endpoint-url", endpoint, "servicecatalog"]
        created = subprocess.run(
            base + ["create-portfolio", "--display-name", "CLI tools", "--provider-name", "Platform"],
            env=env, capture_output=True, text=True, timeout=120,
        )
        assert created.returncode == 0, created.stderr
        cli_pid = json.loads(created.stdout)["PortfolioDetail"]["Id"]
        listed = subprocess.run(base + ["list-portfolios"], env=env, capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0, listed.stderr
        ids = {p["Id"] for p in json.loads(listed.stdout)["PortfolioDetails"]}
        assert {pid, cli_pid} <= ids, ids

    check("AWS CLI v1: servicecatalog create-portfolio, list-portfolios", cli_snippet)

    def cli_iam():
        env = dict(os.environ)
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            env.pop(key, None)
        env.update(AWS_ACCESS_KEY_ID=OWNER, AWS_SECRET_ACCESS_KEY="any", AWS_DEFAULT_REGION=REGION, AWS_PAGER="")

        def aws_json(*args):
            done = subprocess.run([aws, "--endpoint-url", endpoint, *args], env=env, capture_output=True,
                                  text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            return json.loads(done.stdout) if done.stdout.strip() else {}

        identity = aws_json("sts", "get-caller-identity")
        assert identity["Account"] == OWNER, identity
        role = aws_json("iam", "create-role", "--role-name", "CliRole", "--assume-role-policy-document", "{}")["Role"]
        assert role["RoleId"].startswith("AROA"), role
        names = [r["RoleName"] for r in aws_json("iam", "list-roles")["Roles"]]
        assert "CliRole" in names, names
        failed = subprocess.run([aws, "--endpoint-url", endpoint, "iam", "get-user", "--user-name", "nobody"],
                                env=env, capture_output=True, text=True, timeout=120)
        assert failed.returncode != 0 and "NoSuchEntity" in failed.stderr, failed.stderr
        aws_json("servicecatalog", "associate-principal-with-portfolio", "--portfolio-id", pid,
                 "--principal-arn", role["Arn"], "--principal-type", "IAM")

    check("AWS CLI v1: sts get-caller-identity, iam create-role/list-roles/get-user, associate the role", cli_iam)


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    sys.exit(code)
