#!/usr/bin/env python3
"""End-to-end check of SigV4 verification (`portcullis serve --verify-signatures --credentials
FILE`) with boto3 and the AWS CLI signing real requests.

    python3 e2e/sigv4_check.py [PATH_TO_PORTCULLIS]

Writes a credentials file of two access keys, starts the server with it, and checks that boto3
and the AWS CLI are served as the accounts of their keys, and refused with AWS's errors for a
wrong secret, an unknown key, or no credentials at all. Prints one line per check and
`N passed, M failed`; exits 1 if any check failed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

import portcullis_server
import boto3
import botocore
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

OWNER = ("AKIAOWNER0000000001", "owner/secret+key0000000000000000000000000", "111111111111")
OTHER = ("AKIAOTHER0000000002", "other/secret+key0000000000000000000000000", "222222222222")
REGION = "eu-west-1"

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


def expect_error(code, fn, message=None):
    try:
        fn()
    except ClientError as e:
        error = e.response["Error"]
        assert error["Code"] == code, f"expected {code}, got {error}"
        if message is not None:
            assert error["Message"].startswith(message), f"expected {message!r}, got {error}"
        return error
    raise AssertionError(f"expected {code}, got success")


def start_server(binary, credentials):
    proc, endpoint, line = portcullis_server.start(
        binary, "--in-memory", "--verify-signatures", "--credentials", credentials
    )
    assert "signatures verified" in line, line
    return proc, endpoint


def run(endpoint):
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)

    def client(key, secret, service="servicecatalog", **extra):
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
                            aws_secret_access_key=secret, config=config.merge(Config(**extra)))

    owner = client(OWNER[0], OWNER[1])
    other = client(OTHER[0], OTHER[1])
    state = {}

    def signed_calls():
        detail = owner.create_portfolio(DisplayName="signed", ProviderName="Platform")["PortfolioDetail"]
        assert f":{OWNER[2]}:portfolio/" in detail["ARN"] and f":{REGION}:" in detail["ARN"], detail
        state["pid"] = detail["Id"]
        owner.create_portfolio_share(PortfolioId=detail["Id"], AccountId=OTHER[2])
        other.accept_portfolio_share(PortfolioId=detail["Id"])
        accepted = other.list_accepted_portfolio_shares()["PortfolioDetails"]
        assert [p["Id"] for p in accepted] == [detail["Id"]], accepted

    check(f"boto3 {boto3.__version__}: signed requests act as the accounts of their keys", signed_calls)

    def organizations():
        # Signed for `organizations`, verified as such; the account is in no organization.
        expect_error("AWSOrganizationsNotInUseException",
                     client(OWNER[0], OWNER[1], "organizations").describe_organization)

    check("boto3: Organizations requests are verified for their own signing name", organizations)

    def refusals():
        expect_error("InvalidSignatureException",
                     lambda: client(OWNER[0], OTHER[1]).list_portfolios(),
                     "The request signature we calculated does not match")
        expect_error("UnrecognizedClientException",
                     lambda: client("AKIANOBODY0000000000", OWNER[1]).list_portfolios(),
                     "The security token included in the request is invalid.")
        # A 12-digit key is no account while signatures are verified.
        expect_error("UnrecognizedClientException",
                     lambda: client(OWNER[2], "any").list_portfolios())
        expect_error("MissingAuthenticationTokenException",
                     lambda: client(None, None, signature_version=UNSIGNED).list_portfolios())
        listed = owner.list_portfolios()["PortfolioDetails"]
        assert [p["Id"] for p in listed] == [state["pid"]], listed

    check("boto3: wrong secret, unknown key, unsigned: AWS's errors, nothing changed", refusals)

    aws = shutil.which("aws")
    if aws is None:
        print("skip AWS CLI: `aws` is not on PATH", flush=True)
        return

    def cli(key, secret, *args):
        env = {k: v for k, v in os.environ.items()
               if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL")}
        env.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=REGION, AWS_PAGER="")
        return subprocess.run([aws, "--endpoint-url", endpoint, "servicecatalog", *args],
                              env=env, capture_output=True, text=True, timeout=120)

    def cli_signed():
        listed = cli(OTHER[0], OTHER[1], "list-accepted-portfolio-shares")
        assert listed.returncode == 0, listed.stderr
        assert [p["Id"] for p in json.loads(listed.stdout)["PortfolioDetails"]] == [state["pid"]], listed.stdout
        refused = cli(OTHER[0], OWNER[1], "list-accepted-portfolio-shares")
        assert refused.returncode != 0 and "InvalidSignatureException" in refused.stderr, refused.stderr

    check("AWS CLI: signed requests served, a wrong secret refused", cli_signed)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORTCULLIS_BIN", "target/debug/portcullis")
    if not os.path.exists(binary):
        raise SystemExit(f"no portcullis binary at {binary}: build it with `cargo build -p portcullis-server`")
    with tempfile.TemporaryDirectory(prefix="portcullis-sigv4-") as directory:
        credentials = os.path.join(directory, "credentials")
        with open(credentials, "w") as f:
            f.write("# access key id, secret access key, account\n")
            for key, secret, account in (OWNER, OTHER):
                f.write(f"{key} {secret} {account}\n")
        proc, endpoint = start_server(binary, credentials)
        print(f"portcullis at {endpoint}, signatures verified, botocore {botocore.__version__}", flush=True)
        try:
            run(endpoint)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
