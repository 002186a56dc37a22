"""Run Rasa Pro 3.21's own loaders and validator over exported projects (run in the rasa venv)."""
import os, sys
from pathlib import Path
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

CHECKS = ["verify_domain_validity", "verify_flows", "validate_CALM_slot_mappings",
          "verify_slot_mappings", "verify_intents_in_stories_or_flows"]
ok_all = True
for d in sorted(Path(sys.argv[1]).iterdir()):
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
            suite = read_test_cases(str(d / tdir))
            tests = f", {len(suite.test_cases)} e2e test cases read"
    ok = all(results.values())
    ok_all &= ok
    print(f"{d.name}: {'OK' if ok else 'FAILED'} ({len(flows.underlying_flows)} user flows{tests}) "
          + ("" if ok else str({k: v for k, v in results.items() if not v})))
sys.exit(0 if ok_all else 1)
