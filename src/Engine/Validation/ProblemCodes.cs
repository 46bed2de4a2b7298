namespace WeOps.Engine.Validation;

/// <summary>Every kind of problem the validator reports. <c>{element}</c> is the element's name, or its id when it
/// has none; arguments a page may translate as phrases (<c>{part}</c>, <c>{scope}</c>, <c>{expected}</c>,
/// <c>{role}</c>) hold short English phrases from a fixed set. A code never changes its meaning: a new kind of
/// problem gets a new code.</summary>
public static class ProblemCodes
{
    // Reading the file: what stops the reader before there is a process to check.
    public static readonly ProblemCode FileEmpty = new("file.empty", "The file is empty: there is no BPMN in it.");
    public static readonly ProblemCode FileTooLarge = new("file.too-large", "The file is larger than {max} MB, so it was not read. Split the process into called processes.");
    public static readonly ProblemCode FileNotWellFormed = new("file.not-well-formed", "The file is not well-formed XML, so it was not read: line {line}, column {column}: {reason}");
    public static readonly ProblemCode FileDtdRefused = new("file.dtd-refused", "The file contains a document type declaration (<!DOCTYPE ...>), which a BPMN file must not have; it was not read. If this is a web page, download the .bpmn file itself.");
    public static readonly ProblemCode FileNotBpmn = new("file.not-bpmn", "This is not a BPMN 2.0 file: its root element is <{root}> in namespace '{namespace}', where a BPMN file has <definitions> in namespace '{expected}'. Export the diagram as BPMN 2.0 XML.");
    public static readonly ProblemCode FileNoProcess = new("file.no-process", "The file has no process, so there is nothing to run: draw the process (a pool with content, or a diagram without pools) and save again.");
    public static readonly ProblemCode FileTooManyElements = new("file.too-many-elements", "The file has more than {max} elements, the most a BPMN file may have, so it was not read: reading stopped at element {count}, {element} on line {line}. Split the process into called processes.");
    public static readonly ProblemCode FileTooDeep = new("file.too-deep", "The file nests elements deeper than {max} levels, the most a BPMN file may have, so it was not read: reading stopped at {element} on line {line}, on level {level}. Flatten the process or move parts into called processes.");

    // The parser's problems with what a file says (ops: attributes that do not parse), in English only.
    public static readonly ProblemCode FileProblem = new("file.problem", "{message}");

    // Expressions and templates.
    public static readonly ProblemCode ExpressionInvalid = new("expression.invalid", "{element}: the {part} {text} is not a valid expression: {error}");
    public static readonly ProblemCode TemplateInvalid = new("template.invalid", "{element}: the {part} {text} is not a valid template: {error}");
    public static readonly ProblemCode InputTemplateInvalid = new("input.template-invalid", "{element}: the value of '{input}' {text} is not a valid template: {error}");
    public static readonly ProblemCode OutputTemplateInvalid = new("output.template-invalid", "{element}: the output '{output}' {text} is not a valid template: {error}");

    // Activities.
    public static readonly ProblemCode CallNoProcess = new("call.no-process", "{element}: choose the process this call activity calls.");
    public static readonly ProblemCode LoopNothingToRepeat = new("loop.nothing-to-repeat", "{element} repeats, but says neither what to repeat over nor how many times: set a collection or a loop count.");
    public static readonly ProblemCode ServiceNoType = new("service.no-type", "{element}: choose what this service task runs.");
    public static readonly ProblemCode SendNothing = new("send.nothing", "{element} sends nothing: choose a message, a step that sends it, or an HTTP reply.");
    public static readonly ProblemCode ScriptMissing = new("script.missing", "{element}: write the JavaScript this script task runs.");
    public static readonly ProblemCode ScriptNotJavaScript = new("script.not-javascript", "{element} is written in {format}, but scripts run as JavaScript: rewrite it in JavaScript.");
    public static readonly ProblemCode ScriptInvalid = new("script.invalid", "{element}: the script has an error: {error}");
    public static readonly ProblemCode ExecutorUnknown = new("executor.unknown", "{element} runs '{type}', which this server does not know. Known steps: {known}.");
    public static readonly ProblemCode InputMissing = new("input.missing", "{element}: the {executor} step needs '{input}' ({description}).");
    public static readonly ProblemCode InputWrongValue = new("input.wrong-value", "{element}: '{input}' of the {executor} step must be {expected}; {value} is not.");
    public static readonly ProblemCode InputNotAnOption = new("input.not-an-option", "{element}: '{input}' of the {executor} step must be one of {options}; {value} is not.");
    public static readonly ProblemCode InputUnknown = new("input.unknown", "{element}: the {executor} step has no input '{input}', so its value is ignored. Its inputs: {inputs}.");
    public static readonly ProblemCode SpliceRefused = new("splice.refused", "{element}: in '{input}' of the {executor} step the value of {splice} is spliced {reason}.");
    public static readonly ProblemCode RawInShell = new("raw.shell", "{element}: '{input}' of the {executor} step puts {splice} into the shell command unquoted: whatever that value holds runs as shell code. Keep raw() for shell text the process writes itself; pass values from alerts, hooks or forms quoted (without raw) or as separate arguments.");
    public static readonly ProblemCode RawInUrl = new("raw.url", "{element}: '{input}' of the {executor} step puts {splice} into the URL unencoded: a '/', '?', '#' or '&' in that value changes the path or adds parameters. Keep raw() for URL text the process writes itself; other values are percent-encoded.");
    public static readonly ProblemCode RawInText = new("raw.text", "{element}: '{input}' of the {executor} step uses {splice}, but raw() only means something in a shell command or a URL: remove raw().");

    // Approvals.
    public static readonly ProblemCode ApprovalNoApprovers = new("approval.no-approvers", "{element}: name who approves: users, groups (group:name) or an expression.");
    public static readonly ProblemCode ApprovalQuorumTooHigh = new("approval.quorum-too-high", "{element}: the approval needs {quorum} approvals, but only {count} approvers are named.");
    public static readonly ProblemCode ApprovalEscalateWithExpiry = new("approval.escalate-with-expiry", "{element}: an approval that escalates leaves its deadline to a timer on the task: remove the expiry and draw the timer.");
    public static readonly ProblemCode ApprovalEscalateNeedsTimer = new("approval.escalate-needs-timer", "{element}: an approval that escalates needs an interrupting timer on the task: the timer's path is the escalation.");
    public static readonly ProblemCode ApprovalReminderTooLate = new("approval.reminder-too-late", "{element}: the reminder ({remind}) comes no sooner than the expiry ({expiry}), so no reminder is ever sent.");

    // Start events and what the engine cannot run.
    public static readonly ProblemCode ProcessNoStart = new("process.no-start", "{element} has no start event: add one where the process begins.");
    public static readonly ProblemCode StartSecondPlain = new("start.second-plain", "{element} is a second start event without a trigger in the same {scope}: the engine would not know where to begin. Keep one, or give the others a trigger.");
    public static readonly ProblemCode StartSecondAlert = new("start.second-alert", "{element} is a second alert start event: a process has one alert rule. Merge the matchers into one start event, or split the process.");
    public static readonly ProblemCode StartError = new("start.error", "{element} is an error start event; those only belong in event sub-processes, which are not supported yet. Catch the error with an error boundary event instead.");
    public static readonly ProblemCode SubProcessNoStart = new("subprocess.no-start", "{element}: the sub-process has no start event without a trigger: add one inside it where its work begins.");
    public static readonly ProblemCode StartTriggeredInSubProcess = new("start.triggered-in-subprocess", "{element} is inside a sub-process, so it cannot have a trigger: use a start event without one, and wait inside the sub-process or with a boundary event.");
    public static readonly ProblemCode ElementUnsupported = new("element.unsupported", "{reason}");
    public static readonly ProblemCode EventSubProcessUnsupported = new("event-subprocess.unsupported", "{element}: event sub-processes are not supported yet. Use boundary events on a sub-process instead.");

    // Sequence flows and gateways.
    public static readonly ProblemCode FlowCrossesSubProcess = new("flow.crosses-subprocess", "{element} crosses a sub-process boundary: a flow must stay inside one process or sub-process. Connect to the sub-process itself, or use its start and end events.");
    public static readonly ProblemCode FlowIntoStart = new("flow.into-start", "{element} leads into {target}, which cannot have incoming flows: connect it to another element.");
    public static readonly ProblemCode FlowOutOfEnd = new("flow.out-of-end", "{element} leaves the end event {source}: nothing follows an end event. Remove the flow, or use an intermediate event.");
    public static readonly ProblemCode FlowNoSource = new("flow.no-source", "{element} does not start anywhere: connect it or delete it.");
    public static readonly ProblemCode FlowNoTarget = new("flow.no-target", "{element} does not lead anywhere: connect it or delete it.");
    public static readonly ProblemCode FlowSourceMissing = new("flow.source-missing", "{element} comes from '{id}', which is not in the process: reconnect it or delete it.");
    public static readonly ProblemCode FlowTargetMissing = new("flow.target-missing", "{element} goes to '{id}', which is not in the process: reconnect it or delete it.");
    public static readonly ProblemCode ConditionIgnoredOnDefault = new("condition.ignored-on-default", "The condition on {element} is ignored: it is the default path of {gateway}, taken when no other condition holds.");
    public static readonly ProblemCode ConditionIgnoredAfterParallel = new("condition.ignored-after-parallel", "The condition on {element} is ignored: the parallel gateway {gateway} takes every outgoing path.");
    public static readonly ProblemCode ConditionIgnoredAfterEventGateway = new("condition.ignored-after-event-gateway", "The condition on {element} is ignored: the event-based gateway {gateway} takes the path of the event that comes first.");
    public static readonly ProblemCode GatewayDefaultNotOutgoing = new("gateway.default-not-outgoing", "{element} names '{flow}' as its default path, but that flow does not leave it: choose one of its outgoing flows as the default.");
    public static readonly ProblemCode ConditionIgnoredOnActivityDefault = new("condition.ignored-on-activity-default", "The condition on {element} is ignored: it is the default path out of {activity}, taken when no other path is.");
    public static readonly ProblemCode ActivityDefaultNotOutgoing = new("activity.default-not-outgoing", "{element} names '{flow}' as its default path, but that flow does not leave it: choose one of its outgoing flows as the default.");
    public static readonly ProblemCode GatewayFlowWithoutCondition = new("gateway.flow-without-condition", "{element} leaves the gateway {gateway} without a condition: give it a condition, or make it the gateway's default path.");
    public static readonly ProblemCode BoundaryNoOutgoing = new("boundary.no-outgoing", "{element} has no outgoing flow: draw where the process goes when it fires.");
    public static readonly ProblemCode DeadEnd = new("element.dead-end", "{element} has no outgoing flow, so the path ends here. Add an end event to make that explicit.");
    public static readonly ProblemCode Unconnected = new("element.unconnected", "{element} never runs: no sequence flow leads to it. Connect it or delete it.");
    public static readonly ProblemCode Unreachable = new("element.unreachable", "{element} never runs: it cannot be reached from the start event of its {scope}.");
    public static readonly ProblemCode LoopWithoutWait = new("loop.without-wait", "{element} is in a loop with no wait: {elements} can run again and again within one step until a gateway condition lets the path out; if it never does, the instance spins. Make sure the loop ends, or add a wait (a timer, a user or service task) to it.");

    // Events.
    public static readonly ProblemCode ErrorEndNoCode = new("error-end.no-code", "{element}: choose an error with an error code for this error end event to throw.");
    public static readonly ProblemCode MessageWaitUnnamed = new("message.wait-unnamed", "{element} waits for a message but names none: choose the message it waits for.");
    public static readonly ProblemCode MessageNoCorrelation = new("message.no-correlation", "{element} has no correlation key, so every instance waiting for this message receives it. Set a key such as the order id if the message is meant for one instance.");
    public static readonly ProblemCode SignalWaitUnnamed = new("signal.wait-unnamed", "{element} waits for a signal but names none: choose the signal it waits for.");
    public static readonly ProblemCode MessageUnnamed = new("message.unnamed", "{element} names no message: choose the message {role}.");
    public static readonly ProblemCode SignalUnnamed = new("signal.unnamed", "{element} names no signal: choose the signal {role}.");
    public static readonly ProblemCode TimerNoValue = new("timer.no-value", "{element} has a timer without a value: set a date, a duration or a cycle.");
    public static readonly ProblemCode TimerInvalid = new("timer.invalid", "{element}: the timer {error}");
    public static readonly ProblemCode BoundaryOnNothing = new("boundary.on-nothing", "{element} is attached to nothing, so it can never fire: attach it to an activity.");
    public static readonly ProblemCode BoundaryOnMissing = new("boundary.on-missing", "{element} is attached to '{host}', which is not in the process, so it can never fire: attach it to an activity.");
    public static readonly ProblemCode BoundaryOnNonActivity = new("boundary.on-non-activity", "{element} is attached to {host}, which is not a task, sub-process or call activity, so it can never fire: attach it to an activity.");
    public static readonly ProblemCode BoundaryOtherScope = new("boundary.other-scope", "{element} is not in the same process or sub-process as {host}, which it is attached to.");
    public static readonly ProblemCode ErrorBoundaryNonInterrupting = new("boundary.error-non-interrupting", "{element} catches an error without interrupting, but an error always ends the activity: make it interrupting.");
    public static readonly ProblemCode EventGatewayTooFewPaths = new("event-gateway.too-few-paths", "{element} needs at least two outgoing flows, each to an event to wait for: the first event that happens decides the path.");
    public static readonly ProblemCode EventGatewayTargetNotEvent = new("event-gateway.target-not-event", "{element} follows the event-based gateway {gateway}, but only timer, message or signal catch events and receive tasks can: the gateway waits for one of them to happen.");

    // What starts a process on its own.
    public static readonly ProblemCode ReplyWithoutHook = new("reply.without-hook", "{element} replies to an HTTP call, but no start event of the process is started by an HTTP call, so no caller waits for the reply.");
    public static readonly ProblemCode HookInSubProcess = new("hook.in-subprocess", "{element} is inside a sub-process, so an HTTP call cannot start anything there: put it on a start event of the process.");
    public static readonly ProblemCode HookWithTrigger = new("hook.with-trigger", "{element} is started by an HTTP call and has a trigger of its own: a hook needs a start event without a trigger.");
    public static readonly ProblemCode HookBadPath = new("hook.bad-path", "{element}: the hook path {path} is not one a hook can answer: {error}");
    public static readonly ProblemCode HookDuplicate = new("hook.duplicate", "{element} answers {method} /hooks/{route} like {other} does: give the hooks different paths or methods.");
    public static readonly ProblemCode HookTaken = new("hook.taken", "{element} answers {route}, which the process '{process}' (start event '{other}') already answers: change the path or the method of one of them.");
    public static readonly ProblemCode ScheduleDuration = new("schedule.duration", "{element} is a timer start event with a duration, which says when nothing starts: use a cycle (R/PT1H), a date, or a cron expression.");
    public static readonly ProblemCode ScheduleExpression = new("schedule.expression", "{element} is a timer start event with an expression; there are no variables before the process starts, so write the value itself.");
    public static readonly ProblemCode ScheduleTooLong = new("schedule.too-long", "{element}: the timer value has {length} characters; a schedule may have at most {max}.");
    public static readonly ProblemCode TimeZoneTooLong = new("schedule.time-zone-too-long", "{element}: the time zone name has more than {max} characters.");

    // Settings of other engines (the parser's, with codes).
    public static readonly ProblemCode VendorSettingIgnored = new("vendor.setting-ignored", "{element}: {setting} is a {vendor} setting WeOps does not honour, so it is ignored.");
    public static readonly ProblemCode ForeignExtensionsKept = new("vendor.namespace-kept", "{element} uses {names} from the namespace {namespace}: kept in the file, ignored by WeOps.");

    // What the database stores in bounded columns.
    public static readonly ProblemCode TooLong = new("text.too-long", "{element}: {part} {value} has {length} characters; it may have at most {max}.");

    /// <summary>Every code above.</summary>
    public static IReadOnlyList<ProblemCode> All { get; } = typeof(ProblemCodes).GetFields()
        .Where(f => f.IsStatic && f.FieldType == typeof(ProblemCode))
        .Select(f => (ProblemCode)f.GetValue(null)!)
        .ToList();
}
