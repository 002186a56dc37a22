import sys, shutil
from pathlib import Path
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from studio.exchange.yamlproject import read_directory, files_from_mapping, parse_project
base = read_directory(ROOT / "tests" / "fixtures" / "projects" / "bank_split").raw_by_path()
T = "data/flows/transfer.yml"
def sub(path, a, b):
    def f(raw):
        assert a.encode() in raw[path], (path, a)
        raw[path] = raw[path].replace(a.encode(), b.encode(), 1)
    return f
def add_flow(text):
    def f(raw):
        raw["data/flows/extra.yml"] = text.encode()
    return f
muts = {
 "list_slot_collect": sub("domain/transfer.yml", "  recipient:\n    type: text", "  recipient:\n    type: list"),
 "called_flow_links": sub(T, "      - action: utter_balance\n", "      - action: utter_balance\n      - link: transfer_money\n"),
 "unreachable_step": sub(T, "      - action: action_check_balance\n", "      - action: action_check_balance\n        next: END\n"),
 "unknown_slot_in_predicate": sub(T, "if: slots.amount > 1000", "if: slots.nope > 1000"),
 "predicate_without_namespace": sub(T, "if: not slots.confirmed", "if: confirmed"),
 "bad_response_condition": sub("domain/transfer.yml", "condition: slots.amount > 1000", "condition: slots.amount >"),
 "persisted_not_collected": sub(T, "persisted_slots: [recipient]", "persisted_slots: [recipient, user_name]"),
 "link_to_itself": sub("data/flows/greet.yaml", "link: transfer_money", "link: greet_user"),
 "set_list_slot": sub("domain/transfer.yml", "  balance:\n    type: float", "  balance:\n    type: list"),
 "call_pattern": sub(T, "      - call: check_balance", "      - call: pattern_chitchat"),
}
out = ROOT / "var" / "exchange_check" / "mut"; shutil.rmtree(out, ignore_errors=True)
for name, f in muts.items():
    raw = dict(base); f(raw)
    p = parse_project(files_from_mapping(raw))
    print(f"{name}: ours -> {[str(x) for x in p.problems] or 'ACCEPTED'}")
    for path, data in raw.items():
        dst = out / name / path; dst.parent.mkdir(parents=True, exist_ok=True); dst.write_bytes(data)
