"""Starting content for a new assistant: a minimal CALM project that Rasa Pro 3.21 accepts."""


def default_config_yaml(*, assistant_id: str, language: str) -> str:
    return f"""recipe: default.v1
language: {language}
assistant_id: {assistant_id}
pipeline:
  - name: CompactLLMCommandGenerator
    llm:
      model_group: rasa_command_generation_model
    flow_retrieval:
      active: false
policies:
  - name: FlowPolicy
"""


DEFAULT_ENDPOINTS_YAML = """action_endpoint:
  url: "http://localhost:5055/webhook"
model_groups:
  - id: rasa_command_generation_model
    models:
      - provider: openai
        model: gpt-4.1-mini-2025-04-14
        timeout: 7
"""

DEFAULT_CREDENTIALS_YAML = """rest:
"""
