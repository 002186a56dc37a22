"""The three-way merge behind "no lost edits": pure functions, no database."""
import copy

from studio.editor.merge import merge_flow, merge_order, merge_variations

BASE = {
    "name": "send money",
    "description": "send money to a friend",
    "steps": [
        {"collect": "recipient"},
        {"id": "ask_amount", "collect": "amount", "description": "how much"},
        {"id": "check", "action": "action_check_balance", "next": [
            {"if": "slots.balance < slots.amount", "then": [
                {"action": "utter_insufficient"}, {"id": "stop", "action": "action_stop", "next": "END"}]},
            {"else": "confirm"}]},
        {"id": "confirm", "collect": "confirmed"},
    ],
}


def edited(**changes):
    body = copy.deepcopy(BASE)
    for path, value in changes.items():
        target = body
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return body


def test_edits_to_different_steps_both_survive():
    theirs = edited(steps__1__description="the amount to send")
    mine = edited(steps__3__collect="confirmation")

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert result.merged["steps"][1]["description"] == "the amount to send"
    assert result.merged["steps"][3]["collect"] == "confirmation"
    assert result.theirs_changed == ["ask_amount"] and result.mine_changed == ["confirm"]


def test_different_fields_of_one_step_merge():
    theirs = edited(steps__1__description="the amount to send")
    mine = edited(steps__1__ask_before_filling=True)

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert result.merged["steps"][1] == {"id": "ask_amount", "collect": "amount",
                                         "description": "the amount to send", "ask_before_filling": True}


def test_same_field_changed_differently_is_a_conflict_with_base_theirs_and_mine():
    theirs = edited(steps__1__description="theirs")
    mine = edited(steps__1__description="mine")

    result = merge_flow(BASE, theirs, mine)

    assert [c.as_dict() for c in result.conflicts] == [{
        "id": "ask_amount:description", "step_id": "ask_amount", "field": "description",
        "base": "how much", "theirs": "theirs", "mine": "mine"}]


def test_a_resolution_decides_only_its_conflict():
    theirs = edited(steps__1__description="theirs", description="their flow text")
    mine = edited(steps__1__description="mine", steps__3__collect="confirmation")

    result = merge_flow(BASE, theirs, mine, resolutions={"ask_amount:description": "mine"})

    assert result.clean
    assert result.merged["steps"][1]["description"] == "mine"
    assert result.merged["description"] == "their flow text"
    assert result.merged["steps"][3]["collect"] == "confirmation"


def test_same_change_on_both_sides_is_no_conflict():
    both = edited(steps__1__description="same")
    assert merge_flow(BASE, both, copy.deepcopy(both)).clean


def test_flow_settings_merge_by_key():
    theirs = edited(name="Send money")
    mine = edited(**{"if": "slots.logged_in"})

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert result.merged["name"] == "Send money" and result.merged["if"] == "slots.logged_in"


def test_a_step_added_on_one_side_and_an_edit_on_the_other_both_apply():
    theirs = copy.deepcopy(BASE)
    theirs["steps"].insert(2, {"id": "note", "action": "utter_note"})
    mine = edited(steps__0__collect="friend")

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert [s.get("id") or s.get("collect") for s in result.merged["steps"]] == [
        "friend", "ask_amount", "note", "check", "confirm"]


def test_steps_added_on_both_sides_keep_their_places():
    theirs = copy.deepcopy(BASE)
    theirs["steps"].insert(1, {"id": "theirs_new", "action": "utter_a"})
    mine = copy.deepcopy(BASE)
    mine["steps"].append({"id": "mine_new", "action": "utter_b"})

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert [s.get("id", "-") for s in result.merged["steps"]] == [
        "-", "theirs_new", "ask_amount", "check", "confirm", "mine_new"]


def test_a_step_deleted_on_one_side_and_untouched_on_the_other_is_deleted():
    theirs = copy.deepcopy(BASE)
    del theirs["steps"][0]
    mine = edited(steps__3__collect="confirmation")

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert [s.get("id") for s in result.merged["steps"]] == ["ask_amount", "check", "confirm"]


def test_a_step_deleted_on_one_side_and_changed_on_the_other_conflicts_and_mine_keeps_it():
    theirs = copy.deepcopy(BASE)
    del theirs["steps"][1]
    mine = edited(steps__1__description="changed")

    result = merge_flow(BASE, theirs, mine)
    assert [(c.key, c.field, c.theirs) for c in result.conflicts] == [("ask_amount", "(deleted)", None)]

    kept = merge_flow(BASE, theirs, mine, resolutions={"ask_amount:(deleted)": "mine"})
    assert kept.clean
    assert [s.get("id") for s in kept.merged["steps"]] == [None, "ask_amount", "check", "confirm"]
    assert kept.merged["steps"][1]["description"] == "changed"


def test_edits_inside_a_branch_and_to_the_branching_step_merge():
    theirs = edited(steps__2__next__0__then__1__action="action_abort")
    mine = edited(steps__2__action="action_check_funds")

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    step = result.merged["steps"][2]
    assert step["action"] == "action_check_funds"
    assert step["next"][0]["then"][1] == {"id": "stop", "action": "action_abort", "next": "END"}


def test_a_step_added_inside_a_branch_merges_with_a_condition_edit_elsewhere():
    theirs = copy.deepcopy(BASE)
    theirs["steps"][2]["next"][0]["then"].insert(0, {"id": "log", "action": "action_log"})
    mine = edited(steps__1__description="changed")

    result = merge_flow(BASE, theirs, mine)

    assert result.clean
    assert [s.get("id") for s in result.merged["steps"][2]["next"][0]["then"]] == ["log", None, "stop"]


def test_steps_without_ids_are_matched_by_kind_not_position():
    base = {"steps": [{"collect": "a"}, {"action": "utter_b"}]}
    theirs = {"steps": [{"action": "utter_first"}, {"collect": "a"}, {"action": "utter_b"}]}
    mine = {"steps": [{"collect": "a", "description": "mine"}, {"action": "utter_b"}]}

    result = merge_flow(base, theirs, mine)

    assert result.clean
    assert result.merged["steps"] == [{"action": "utter_first"}, {"collect": "a", "description": "mine"},
                                      {"action": "utter_b"}]


def test_both_sides_reordering_differently_conflicts():
    assert merge_order(["a", "b", "c"], ["c", "a", "b"], ["b", "a", "c"]) is None
    assert merge_order(["a", "b", "c"], ["c", "a", "b"], ["a", "b", "d", "c"]) == ["c", "a", "b", "d"]


def test_variations_merge_by_index_and_field():
    base = [{"text": "Hi"}, {"text": "Hello", "channel": "web"}]
    theirs = [{"text": "Hi there"}, {"text": "Hello", "channel": "web"}]
    mine = [{"text": "Hi"}, {"text": "Hello", "channel": "slack"}, {"text": "Hey"}]

    result = merge_variations(base, theirs, mine)

    assert result.clean
    assert result.merged == [{"text": "Hi there"}, {"text": "Hello", "channel": "slack"}, {"text": "Hey"}]


def test_the_same_variation_text_changed_twice_conflicts():
    result = merge_variations([{"text": "Hi"}], [{"text": "Hi there"}], [{"text": "Hello"}])

    assert [c.as_dict() for c in result.conflicts] == [
        {"id": "0:text", "step_id": "0", "field": "text", "base": "Hi", "theirs": "Hi there", "mine": "Hello"}]
