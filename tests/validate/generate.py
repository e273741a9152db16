# Generates tests/validate/*.json and expectations.json (run: python3 tests/validate/generate.py).
# One invalid definition per diagnostic code, plus one with several problems at once. Positions are found by searching the
# text for the token each case is about (independent of the Rust implementation).
import json, os
cases = {}
# Cases validated as another workflow type than STANDARD (AWS takes the type beside the definition).
types = {}
def case(name, code, text, token, occurrence=1, offset=0):
    idx = -1
    for _ in range(occurrence):
        idx = text.index(token, idx + 1)
    idx += offset
    line = text.count("\n", 0, idx) + 1
    col = idx - (text.rfind("\n", 0, idx) + 1) + 1
    cases[name] = (code, text, line, col)

def m(states, extra=""):
    return '{\n  "StartAt": "A",%s\n  "States": {\n%s\n  }\n}\n' % (extra, states)

P = '    "A": {"Type": "Pass", "End": true}'
case("invalid_json", "INVALID_JSON_DESCRIPTION", '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true},\n  }\n}\n', "}", 2)
case("too_deeply_nested", "TOO_DEEPLY_NESTED", m('    "A": {"Type": "Pass", "Result": ' + "[" * 250 + "]" * 250 + ', "End": true}'), "[", 198)  # 3 objects + 197 arrays = 200 levels; the next one is too deep
case("not_an_object", "NOT_AN_OBJECT", '[\n  {"StartAt": "A"}\n]\n', "[")
case("missing_field", "MISSING_FIELD", '{\n  "States": {\n    "A": {"Type": "Pass", "End": true}\n  }\n}\n', "{")
case("unknown_field", "UNKNOWN_FIELD", m('    "A": {"Type": "Pass", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true}'), '"Resource"')
case("wrong_type", "WRONG_TYPE", '{\n  "StartAt": 5,\n  "States": {\n' + P + '\n  }\n}\n', "5")
case("invalid_value", "INVALID_VALUE", m(P, '\n  "Version": "2.0",'), '"2.0"')
case("duplicate_key", "DUPLICATE_KEY", m('    "A": {\n      "Type": "Pass",\n      "Type": "Pass",\n      "End": true\n    }'), '"Type"', 2)
case("duplicate_state_name", "DUPLICATE_STATE_NAME", m('    "A": {"Type": "Pass", "End": true},\n    "A": {"Type": "Succeed"}'), '"A"', 3)
long_name = "N" * 81
case("invalid_state_name", "INVALID_STATE_NAME", m(P + ',\n    "%s": {"Type": "Pass", "End": true}' % long_name), '"' + long_name)
case("invalid_state_type", "INVALID_STATE_TYPE", m('    "A": {"Type": "Sleep", "End": true}'), '"Sleep"')
case("missing_transition_target", "MISSING_TRANSITION_TARGET", m('    "A": {\n      "Type": "Pass",\n      "Next": "Nowhere"\n    }'), '"Nowhere"')
case("missing_next_or_end", "MISSING_NEXT_OR_END", m('    "A": {"Type": "Pass"}'), '"A"', 2)
case("next_and_end", "NEXT_AND_END", m('    "A": {"Type": "Pass", "Next": "B", "End": true},\n    "B": {"Type": "Succeed"}'), '"End"')
case("terminal_state_transition", "TERMINAL_STATE_TRANSITION", m('    "A": {"Type": "Succeed", "Next": "B"},\n    "B": {"Type": "Succeed"}'), '"Next"')
case("missing_end_state", "MISSING_END_STATE", m('    "A": {"Type": "Pass", "Next": "B"},\n    "B": {"Type": "Wait", "Seconds": 1, "Next": "A"}'), '"A"')
case("unreachable_state", "UNREACHABLE_STATE", m(P + ',\n    "Orphan": {"Type": "Succeed"}'), '"Orphan"')
case("no_path_to_end", "NO_PATH_TO_END", m('''    "A": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.loop", "BooleanEquals": true, "Next": "Spin"}],
      "Default": "Done"
    },
    "Spin": {"Type": "Wait", "Seconds": 1, "Next": "Spin"},
    "Done": {"Type": "Succeed"}'''), '"Spin"', 2)
case("query_language_field", "QUERY_LANGUAGE_FIELD", m('    "A": {"Type": "Pass", "Output": {"x": 1}, "End": true}'), '"Output"')
case("invalid_query_language", "INVALID_QUERY_LANGUAGE", m('    "A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}', '\n  "QueryLanguage": "JSONata",'), '"JSONPath"')
# A real-world mistake: the machine's QueryLanguage written inside States. One error at the key.
case("query_language_in_states", "INVALID_QUERY_LANGUAGE", '{\n  "StartAt": "A",\n  "States": {\n    "QueryLanguage": "JSONata",\n    "A": {"Type": "Pass", "Output": {"x": "{% $states.input %}"}, "End": true}\n  }\n}\n', '"QueryLanguage"')
case("invalid_jsonpath", "INVALID_JSONPATH", m('    "A": {"Type": "Pass", "InputPath": "input.name", "End": true}'), 'input.name')
case("invalid_reference_path", "INVALID_REFERENCE_PATH", m('    "A": {"Type": "Pass", "ResultPath": "$.items[*]", "End": true}'), '"$.items[*]"')
case("unknown_intrinsic_function", "UNKNOWN_INTRINSIC_FUNCTION", m('    "A": {\n      "Type": "Pass",\n      "Parameters": {"id.$": "States.Nope(1)"},\n      "End": true\n    }'), 'States.Nope(1)')
# A call that does not parse (AWS accepts a wrong argument count at creation: that is a run-time failure).
case("invalid_intrinsic_call", "INVALID_INTRINSIC_CALL", m('    "A": {\n      "Type": "Pass",\n      "Parameters": {"v.$": "States.StringToJson(\'a\' \'b\')"},\n      "End": true\n    }'), "'b'")
case("invalid_payload_template", "INVALID_PAYLOAD_TEMPLATE", m('    "A": {\n      "Type": "Pass",\n      "Parameters": {"count.$": 5},\n      "End": true\n    }'), '5')
case("invalid_jsonata_expression", "INVALID_JSONATA_EXPRESSION", m('    "A": {"Type": "Pass", "Output": "{%  %}", "End": true}', '\n  "QueryLanguage": "JSONata",'), '"{%  %}"')
case("unsupported_jsonata_expression", "UNSUPPORTED_JSONATA_EXPRESSION", m('    "A": {"Type": "Pass", "Output": {"total": "{% order.total %}"}, "End": true}', '\n  "QueryLanguage": "JSONata",'), '"{% order.total %}"')
case("choice_operator_count", "CHOICE_OPERATOR_COUNT", m('''    "A": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.n", "NumericEquals": 1, "NumericLessThan": 5, "Next": "B"}
      ],
      "Default": "B"
    },
    "B": {"Type": "Succeed"}'''), '"NumericLessThan"')
case("choice_operand_type", "CHOICE_OPERAND_TYPE", m('''    "A": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.n", "NumericEquals": "5", "Next": "B"}],
      "Default": "B"
    },
    "B": {"Type": "Succeed"}'''), '"5"')
case("choice_rule_next", "CHOICE_RULE_NEXT", m('''    "A": {
      "Type": "Choice",
      "Choices": [
        {
          "And": [{"Variable": "$.a", "IsPresent": true, "Next": "B"}],
          "Next": "B"
        }
      ]
    },
    "B": {"Type": "Succeed"}'''), '"Next"')
case("empty_list", "EMPTY_LIST", m('    "A": {"Type": "Choice", "Choices": []}'), '[]')
case("states_all_position", "STATES_ALL_POSITION", m('''    "A": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
      "Retry": [
        {"ErrorEquals": ["States.ALL"]},
        {"ErrorEquals": ["States.Timeout"]}
      ],
      "End": true
    }'''), '"States.ALL"')
T = '''    "A": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
      "Retry": [{"ErrorEquals": ["States.TaskFailed"], %s}],
      "End": true
    }'''
case("invalid_backoff_rate", "INVALID_BACKOFF_RATE", m(T % '"BackoffRate": 0.5'), '0.5')
case("invalid_max_attempts", "INVALID_MAX_ATTEMPTS", m(T % '"MaxAttempts": -1'), '-1}')
case("invalid_interval_seconds", "INVALID_INTERVAL_SECONDS", m(T % '"IntervalSeconds": 0'), '0}')
case("invalid_max_delay_seconds", "INVALID_MAX_DELAY_SECONDS", m(T % '"MaxDelaySeconds": 0'), '0}')
case("invalid_jitter_strategy", "INVALID_JITTER_STRATEGY", m(T % '"JitterStrategy": "SOME"'), '"SOME"')
K = '''    "A": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      %s,
      "End": true
    }'''
case("invalid_timeout", "INVALID_TIMEOUT", m(K % '"TimeoutSeconds": 0'), '0,')
case("heartbeat_not_below_timeout", "HEARTBEAT_NOT_BELOW_TIMEOUT", m(K % '"TimeoutSeconds": 10,\n      "HeartbeatSeconds": 10'), '10', 2)
case("mutually_exclusive_fields", "MUTUALLY_EXCLUSIVE_FIELDS", m(K % '"TimeoutSeconds": 10,\n      "TimeoutSecondsPath": "$.timeout"'), '"TimeoutSecondsPath"')
case("wait_field_count", "WAIT_FIELD_COUNT", m('    "A": {"Type": "Wait", "Seconds": 5, "Timestamp": "2016-03-14T01:59:00Z", "End": true}'), '"Timestamp"')
case("invalid_wait_seconds", "INVALID_WAIT_SECONDS", m('    "A": {"Type": "Wait", "Seconds": -5, "End": true}'), '-5')
case("invalid_timestamp", "INVALID_TIMESTAMP", m('    "A": {"Type": "Wait", "Timestamp": "2016-13-05T21:29:29Z", "End": true}'), '"2016-13')
case("invalid_resource", "INVALID_RESOURCE", m('    "A": {"Type": "Task", "Resource": "my-lambda", "End": true}'), '"my-lambda"')
MAP = '''    "A": {
      "Type": "Map",
      %s,
      "ItemProcessor": {
        "StartAt": "Item",
        "States": {"Item": {"Type": "Pass", "End": true}}
      },
      "End": true
    }'''
case("invalid_label_name", "INVALID_LABEL_NAME", m(MAP % '"Label": "my label"'), '"my label"')
case("invalid_max_concurrency", "INVALID_MAX_CONCURRENCY", m(MAP % '"MaxConcurrency": -1'), '-1')
case("invalid_tolerated_failure", "INVALID_TOLERATED_FAILURE", m(MAP % '"ToleratedFailurePercentage": 150'), '150')
case("invalid_variable_name", "INVALID_VARIABLE_NAME", m('    "A": {"Type": "Pass", "Assign": {"order.total": 1}, "End": true}'), '"order.total"')
case("intrinsic_argument_count", "INTRINSIC_ARGUMENT_COUNT", m('    "A": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd(1, 2, 3)"}, "End": true}'), '"States.MathAdd(1, 2, 3)"')
case("variable_already_defined", "VARIABLE_ALREADY_DEFINED", m('''    "A": {"Type": "Pass", "Assign": {"shared": 1}, "Next": "Fan"},
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Assign": {"shared": 2}, "End": true}}}
      ],
      "End": true
    }'''), '{"Type": "Pass", "Assign": {"shared": 2}')
case("no_dollar", "NO_DOLLAR", m('    "A": {"Type": "Pass", "Parameters": {"name": "$.customer.name"}, "End": true}'), '"$.customer.name"')
case("no_path", "NO_PATH", m('    "A": {"Type": "Fail", "Error": "$.error"}'), '"$.error"')
case("pass_result_is_static", "PASS_RESULT_IS_STATIC", m('    "A": {"Type": "Pass", "Result": {"name.$": "$.name"}, "End": true}'), '"Result"')
case("express_unsupported_integration", "EXPRESS_UNSUPPORTED_INTEGRATION", m('    "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}'), '"arn:aws:states:::sqs')
types["express_unsupported_integration"] = "EXPRESS"
# Lints (warnings; the test runs them with the definition lints on).
case("payload_grows_in_loop", "PAYLOAD_GROWS_IN_LOOP", m('''    "A": {"Type": "Pass", "Parameters": {"previous.$": "$", "n.$": "States.MathAdd($.n, 1)"}, "Next": "More"},
    "More": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.n", "NumericLessThan": 100, "Next": "A"}],
      "Default": "Done"
    },
    "Done": {"Type": "Succeed"}'''), '"$"')
RETRY = '"Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": %d}]'
case("retry_multiplies", "RETRY_MULTIPLIES", m('''    "A": {
      "Type": "Parallel",
      %s,
      "Branches": [{"StartAt": "Charge", "States": {"Charge": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        %s,
        "End": true}}}],
      "End": true
    }''' % (RETRY % 3, RETRY % 2)), '"Retry"', 2)
case("lambda_retry_broad", "LAMBDA_RETRY_BROAD", m('    "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.ALL"]}], "End": true}'), '"States.ALL"')
case("lambda_transient_retry_missing", "LAMBDA_TRANSIENT_RETRY_MISSING", m('    "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}'), '"arn:aws:states:::lambda:invoke"')
case("secret_in_definition", "SECRET_IN_DEFINITION", m('    "A": {"Type": "Pass", "Parameters": {"user": "admin", "password": "hunter2"}, "End": true}'), '"password"')
# Several problems at once: every one is reported, in one run.
case("many_problems", "MISSING_TRANSITION_TARGET", m('''    "A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Missing"},
    "C": {"Type": "Wait", "End": true}'''), '"Missing"')

os.chdir(os.path.dirname(os.path.abspath(__file__)))
expectations = {}
for name, (code, text, line, col) in sorted(cases.items()):
    with open(f"{name}.json", "w") as f:
        f.write(text)
    expectations[f"{name}.json"] = [{"code": code, "line": line, "column": col}]
    if name in types:
        expectations[f"{name}.json"][0]["type"] = types[name]
# The other problems of many_problems.json: the Wait state "C" lacks its duration and is unreachable.
c_text = cases["many_problems"][1]
c_at = c_text.index('"C"')
c_line = c_text.count("\n", 0, c_at) + 1
c_col = c_at - (c_text.rfind("\n", 0, c_at) + 1) + 1
expectations["many_problems.json"] += [
    {"code": "WAIT_FIELD_COUNT", "line": c_line, "column": c_col},
    {"code": "UNREACHABLE_STATE", "line": c_line, "column": c_col},
]
with open("expectations.json", "w") as f:
    json.dump(expectations, f, indent=2)
    f.write("\n")
print(len(cases), "cases")
