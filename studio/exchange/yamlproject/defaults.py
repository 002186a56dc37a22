"""Names Rasa Pro 3.21 provides without the project declaring them (used by the import warnings).

Which actions, patterns and slots a flow may name is the engine's rule (engine/validation.py).
"""

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
