"""Names Rasa Pro 3.21 provides without the project declaring them (used to check references)."""

DEFAULT_ACTIONS = frozenset({
    "action_listen", "action_restart", "action_session_start", "action_default_fallback",
    "action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation",
    "action_default_ask_rephrase", "action_two_stage_fallback", "action_unlikely_intent",
    "action_back", "action_send_text", "action_agent_request_user_input", "...",
    "action_extract_slots", "action_cancel_flow", "action_correct_flow_slot",
    "action_clarify_flows", "action_run_slot_rejections", "action_clean_stack",
    "action_trigger_search", "action_trigger_chitchat", "action_reset_routing", "action_hangup",
    "action_handoff_metric", "action_repeat_bot_messages", "action_default_capabilities",
    "action_continue_interrupted_flow", "action_cancel_interrupted_flows",
    "action_send_text_update",
})

DEFAULT_PATTERNS = frozenset({
    "pattern_cancel_flow", "pattern_cannot_handle", "pattern_chitchat", "pattern_clarification",
    "pattern_code_change", "pattern_collect_information", "pattern_completed",
    "pattern_continue_interrupted", "pattern_correction", "pattern_customer_satisfaction",
    "pattern_external_agent_processing", "pattern_human_handoff", "pattern_internal_error",
    "pattern_repeat_bot_messages", "pattern_restart", "pattern_search", "pattern_session_end",
    "pattern_session_start", "pattern_skip_question", "pattern_user_silence",
    "pattern_validate_slot",
})

# Any flow may link to these patterns (flow validation in Rasa Pro 3.21).
LINKABLE_PATTERNS = frozenset({"pattern_human_handoff", "pattern_search", "pattern_customer_satisfaction"})

DEFAULT_RESPONSES = frozenset({
    "utter_agent_busy", "utter_ask_continue_conversation",
    "utter_ask_continue_interrupted_flow_confirmation", "utter_ask_csat_score",
    "utter_ask_interrupted_flow_to_continue", "utter_ask_rephrase", "utter_ask_still_there",
    "utter_boolean_slot_rejection", "utter_can_do_something_else", "utter_cannot_handle",
    "utter_categorical_slot_rejection", "utter_clarification_no_options_rasa",
    "utter_clarification_options_rasa", "utter_closing_words", "utter_corrected_previous_input",
    "utter_csat_thank_you_satisfied", "utter_csat_thank_you_unsatisfied",
    "utter_float_slot_rejection", "utter_flow_cancelled_rasa", "utter_free_chitchat_response",
    "utter_human_handoff_not_available", "utter_inform_code_change", "utter_inform_hangup",
    "utter_internal_error_rasa", "utter_no_knowledge_base", "utter_no_relevant_answer_found",
    "utter_skip_question_answer", "utter_user_input_empty_error_rasa",
    "utter_user_input_too_long_error_rasa",
})

DEFAULT_SLOTS = frozenset({
    "confirm_correction", "consecutive_silence_timeouts", "continue_conversation",
    "continue_interrupted_flow_confirmation", "csat_score", "interrupted_flow_to_continue",
    "max_clarification_options", "silence_timeout", "requested_slot", "flow_hashes",
    "session_started_metadata", "mocked_datetime", "language", "dialogue_stack",
})
