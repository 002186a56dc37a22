"""Run Rasa Pro 3.21's own loaders and validator over exported projects (run in the rasa venv)."""
import os, sys
from pathlib import Path
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

CHECKS = ["verify_domain_validity", "verify_flows", "validate_CALM_slot_mappings",
          "verify_slot_mappings", "verify_intents_in_stories_or_flows"]
ok_all = True
def check(d: Path) -> tuple[bool, str]:
    from rasa.core.config.configuration import Configuration
    Configuration.initialise_endpoints(endpoints_path=d / "endpoints.yml")
    domain = d / "domain.yml" if (d / "domain.yml").exists() else d / "domain"
    importer = TrainingDataImporter.load_from_config(config_path=str(d / "config.yml"), domain_path=str(domain),
                                                     training_data_paths=[str(d / "data")])
    validator = Validator.from_importer(importer)
    results = {c: getattr(validator, c)() for c in CHECKS}
    flows = importer.get_user_flows()
    tests = ""
    for tdir in ("tests", "e2e_tests"):
        if (d / tdir).exists():
            from rasa.e2e_test.utils.io import read_test_cases
            tests = f", {len(read_test_cases(str(d / tdir)).test_cases)} e2e test cases read"
    failed = {k: v for k, v in results.items() if not v}
    return not failed, f"{len(flows.underlying_flows)} user flows{tests}" + (f"; failed: {list(failed)}" if failed else "")


for d in sorted(Path(sys.argv[1]).iterdir()):
    try:
        ok, detail = check(d)
    except Exception as exc:  # Rasa raises on the first structural problem
        ok, detail = False, f"{type(exc).__name__}: {str(exc)[:200]}"
    ok_all &= ok
    print(f"{d.name}: {'OK' if ok else 'FAILED'} ({detail})")
sys.exit(0 if ok_all else 1)
