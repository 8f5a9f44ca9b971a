"""smoke-test MODEL --url URL: post the model's testing samples to a running service."""
import os

from ..serving.smoke_test import smoke_test

# A key on the command line would stay in the shell's history; the environment is safer.
API_KEY_ENV_VAR = "SCORING_API_KEY"


def add_parser(commands) -> None:
    """Add `smoke-test`."""
    parser = commands.add_parser(
        "smoke-test", help="check a running scoring service with the model's testing samples",
        description="Post each request kept in testing/MODEL/testing_samples/ to the service "
                    "and check each answer's shape and value types. Exit status 0 when all "
                    "pass, 1 otherwise, with a one-line verdict.")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--url", required=True,
                        help="the scoring URL, e.g. http://127.0.0.1:5001/score (a bare "
                             "http://host:port means its /score)")
    parser.add_argument("--api-key", default=os.environ.get(API_KEY_ENV_VAR),
                        help="the service's key or token when its auth is on (default: "
                             f"${API_KEY_ENV_VAR})")
    parser.set_defaults(handler=_smoke_test)


def _smoke_test(args) -> int:
    ok, verdict = smoke_test(args.model, args.url, api_key=args.api_key)
    print(verdict)
    return 0 if ok else 1
