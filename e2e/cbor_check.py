#!/usr/bin/env python3
"""End-to-end check of portcullis's Smithy RPC v2 CBOR protocol with botocore forced onto it.

    python3 e2e/cbor_check.py [PATH_TO_PORTCULLIS]

Service Catalog's API model lists `smithy-rpc-v2-cbor` first, but botocore prefers AWS JSON 1.1
when a model offers both. This script loads botocore's own Service Catalog model with only
`smithy-rpc-v2-cbor` in its protocols (a data directory put first on the loader's search path),
so every call below goes out as `POST /service/AWS242ServiceCatalogService/operation/<Op>` with
a CBOR body, and botocore's CBOR parser reads the answers. Prints one line per check and
`N passed, M failed`; exits 1 if any check failed.
"""

import gzip
import json
import os
import sys
import tempfile
import time
import traceback
from datetime import datetime

import portcullis_server
import botocore
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

OWNER = "111111111111"
OTHER = "222222222222"
REGION = "us-east-1"

PASSED = 0
FAILED = 0


def check(name, fn):
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


def expect_error(code, fn):
    try:
        fn()
    except ClientError as e:
        error = e.response["Error"]
        assert error["Code"] == code, f"expected {code}, got {error}"
        return e.response
    raise AssertionError(f"expected {code}, got success")


def cbor_only_models(directory):
    """Writes botocore's Service Catalog model, with `smithy-rpc-v2-cbor` as its only protocol,
    under `directory` (a botocore data path)."""
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("servicecatalog", "service-2")
    model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    version = model["metadata"]["apiVersion"]
    target = os.path.join(directory, "servicecatalog", version)
    os.makedirs(target)
    with gzip.open(os.path.join(target, "service-2.json.gz"), "wt") as f:
        json.dump(model, f)


def start_server(binary):
    proc, endpoint, _ = portcullis_server.start(binary, "--in-memory")
    return proc, endpoint


def run(endpoint, data_path):
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, data_path)
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    seen = []

    def client(account):
        c = session.create_client(
            "servicecatalog", endpoint_url=endpoint, region_name=REGION,
            aws_access_key_id=account, aws_secret_access_key="any", config=config,
        )
        c.meta.events.register("before-send", lambda request, **_: seen.append(request))
        c.meta.events.register(
            "after-call", lambda http_response, **_: seen.append(http_response)
        )
        return c

    owner = client(OWNER)
    other = client(OTHER)
    # IAM speaks the AWS Query protocol: an `IAM` principal must exist before it is associated.
    iam = session.create_client(
        "iam", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=OWNER, aws_secret_access_key="any", config=config,
    )
    state = {}

    def forced():
        assert owner.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor", (
            owner.meta.service_model.resolved_protocol
        )

    check(f"botocore {botocore.__version__} is forced onto smithy-rpc-v2-cbor", forced)

    def create():
        seen.clear()
        detail = owner.create_portfolio(
            DisplayName="Dev tools", ProviderName="Platform", Description="CBOR",
            Tags=[{"Key": "team", "Value": "platform"}],
        )["PortfolioDetail"]
        request, response = seen[0], seen[1]
        assert request.url.endswith("/service/AWS242ServiceCatalogService/operation/CreatePortfolio"), request.url
        assert request.headers["smithy-protocol"] == b"rpc-v2-cbor", request.headers
        assert request.headers["Content-Type"] == b"application/cbor", request.headers
        assert "X-Amz-Target" not in request.headers, request.headers
        assert response.headers["smithy-protocol"] == "rpc-v2-cbor", response.headers
        assert response.headers["content-type"] == "application/cbor", response.headers
        # CreatedTime arrives as CBOR tag 1 (epoch seconds), which botocore reads as a datetime.
        assert isinstance(detail["CreatedTime"], datetime), detail
        assert abs(detail["CreatedTime"].timestamp() - time.time()) < 120, detail
        assert detail["Id"].startswith("port-") and detail["Description"] == "CBOR", detail
        state["pid"] = detail["Id"]

    check("CreatePortfolio over CBOR: the path, headers, and a tag-1 CreatedTime", create)

    def associate_and_list():
        pid = state["pid"]
        iam.create_role(RoleName="Admin", AssumeRolePolicyDocument="{}")
        owner.associate_principal_with_portfolio(
            PortfolioId=pid, PrincipalARN="arn:aws:iam:::role/Dev*", PrincipalType="IAM_PATTERN"
        )
        owner.associate_principal_with_portfolio(
            PortfolioId=pid, PrincipalARN=f"arn:aws:iam::{OWNER}:role/Admin", PrincipalType="IAM"
        )
        principals = owner.list_principals_for_portfolio(PortfolioId=pid)["Principals"]
        assert {(p["PrincipalARN"], p["PrincipalType"]) for p in principals} == {
            ("arn:aws:iam:::role/Dev*", "IAM_PATTERN"), (f"arn:aws:iam::{OWNER}:role/Admin", "IAM"),
        }, principals

    check("AssociatePrincipalWithPortfolio and ListPrincipalsForPortfolio over CBOR", associate_and_list)

    def share_and_accept():
        pid = state["pid"]
        owner.create_portfolio_share(PortfolioId=pid, AccountId=OTHER, ShareTagOptions=True)
        shares = owner.describe_portfolio_shares(PortfolioId=pid, Type="ACCOUNT")["PortfolioShareDetails"]
        assert shares == [{
            "PrincipalId": OTHER, "Type": "ACCOUNT", "Accepted": False,
            "ShareTagOptions": True, "SharePrincipals": False,
        }], shares
        other.accept_portfolio_share(PortfolioId=pid)
        accepted = other.list_accepted_portfolio_shares()["PortfolioDetails"]
        assert [p["Id"] for p in accepted] == [pid], accepted

    check("CreatePortfolioShare, DescribePortfolioShares, AcceptPortfolioShare over CBOR", share_and_accept)

    def errors():
        response = expect_error("ResourceNotFoundException", lambda: owner.describe_portfolio(Id="port-abcdefghijklm"))
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 400, response
        assert "port-abcdefghijklm" in response["Error"]["Message"], response
        expect_error("InvalidParametersException", lambda: owner.associate_principal_with_portfolio(
            PortfolioId=state["pid"], PrincipalARN=f"arn:aws:iam::{OWNER}:role/x*", PrincipalType="IAM_PATTERN",
        ))
        expect_error("LimitExceededException", lambda: [
            owner.associate_principal_with_portfolio(
                PortfolioId=state["pid"], PrincipalARN=f"arn:aws:iam:::role/T{i}*", PrincipalType="IAM_PATTERN",
            )
            for i in range(11)
        ])
        # The modeled exception classes work too.
        try:
            owner.delete_portfolio(Id="port-abcdefghijklm")
        except owner.exceptions.ResourceNotFoundException:
            pass
        else:
            raise AssertionError("expected ResourceNotFoundException")

    check("errors over CBOR: __type as the shape id, botocore's modeled exceptions", errors)

    def empty_input():
        # The answer of an account in no organization, as over AWS JSON 1.1.
        response = expect_error("ResourceNotFoundException", owner.get_aws_organizations_access_status)
        assert "organization" in response["Error"]["Message"], response

    check("an operation without input members over CBOR", empty_input)

    def pages():
        for i in range(5):
            owner.create_portfolio(DisplayName=f"p{i}", ProviderName="Platform")
        seen_ids = []
        for page in owner.get_paginator("list_portfolios").paginate(PaginationConfig={"PageSize": 2}):
            seen_ids += [p["Id"] for p in page["PortfolioDetails"]]
        assert len(seen_ids) == 6 and len(set(seen_ids)) == 6, seen_ids

    check("ListPortfolios pages over CBOR", pages)

    def products():
        created = owner.create_product(
            Name="Web", Owner="Platform", ProductType="CLOUD_FORMATION_TEMPLATE",
            Tags=[{"Key": "team", "Value": "platform"}],
            ProvisioningArtifactParameters={"Name": "v1", "Info": {"LoadTemplateFromURL": "https://example.com/t"}},
        )
        detail = created["ProductViewDetail"]
        product = detail["ProductViewSummary"]["ProductId"]
        assert isinstance(detail["CreatedTime"], datetime), detail
        assert detail["Status"] == "AVAILABLE" and product.startswith("prod-"), detail
        assert created["ProvisioningArtifactDetail"]["Active"] is True, created
        owner.associate_product_with_portfolio(ProductId=product, PortfolioId=state["pid"])
        described = owner.describe_product(Id=product)
        assert [p["Id"] for p in described["LaunchPaths"]] == [state["pid"]], described
        assert described["Budgets"] == [], described
        listed = owner.list_portfolios_for_product(ProductId=product)["PortfolioDetails"]
        assert [p["Id"] for p in listed] == [state["pid"]], listed
        found = owner.search_products_as_admin(Filters={"Owner": ["Platform"]}, SortBy="Title")["ProductViewDetails"]
        assert [d["ProductViewSummary"]["ProductId"] for d in found] == [product], found
        expect_error("ResourceInUseException", lambda: owner.delete_product(Id=product))
        owner.disassociate_product_from_portfolio(ProductId=product, PortfolioId=state["pid"])
        owner.delete_product(Id=product)
        expect_error("ResourceNotFoundException", lambda: owner.describe_product(Id=product))

    check("products over CBOR: create, describe, associate, list, search, delete", products)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORTCULLIS_BIN", "target/debug/portcullis")
    if not os.path.exists(binary):
        raise SystemExit(f"no portcullis binary at {binary}: build it with `cargo build -p portcullis-server`")
    with tempfile.TemporaryDirectory(prefix="portcullis-cbor-") as data_path:
        cbor_only_models(data_path)
        proc, endpoint = start_server(binary)
        try:
            run(endpoint, data_path)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
