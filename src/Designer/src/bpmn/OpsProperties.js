// The properties panel groups for our extension: one group per executor built from its descriptor,
// approval and assignment for user tasks, triggers on start events, and the engine settings
// (conditions, correlation, cron, called process, script, multi-instance collection).

import { SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { t } from '../i18n.js';
import { formEntry } from './FormEntry.js';
import { executorDescription, executorName, inputDescription, optionLabel } from './executorText.js';
import {
  BatchHandler, opsElement, opsInput, outputsText, setExecutorType, setOpsAttribute, setOpsInput, setOutputsText
} from './opsModel.js';

const EXPRESSION_HINT = 'Use ${...} for an expression, e.g. ${alert.labels.instance}.';

export default class OpsPropertiesProvider {
  static $inject = ['propertiesPanel', 'injector', 'commandStack', 'config.opsExecutors', 'config.opsCredentials'];

  constructor(propertiesPanel, injector, commandStack, executors, credentials) {
    this._injector = injector;
    this._executors = executors || [];
    this._credentials = credentials || [];
    commandStack.registerHandler('ops.batch', BatchHandler);
    propertiesPanel.registerProvider(400, this);
  }

  getGroups(element) {
    return (groups) => {
      const add = (group) => group && group.entries.length && groups.push(group);
      if (is(element, 'bpmn:ServiceTask') || is(element, 'bpmn:SendTask')) {
        add(this._executorGroup(element));
        add(this._inputsGroup(element));
        add(this._outputsGroup(element));
      }
      if (is(element, 'bpmn:UserTask')) {
        add(this._attributesGroup(element, 'ops-approval', t('Approval'), 'ops:Approval', [
          ['approvers', 'Approvers', 'text', 'alice, group:ops, ${requester.manager}'],
          ['policy', 'Policy', ['', 'any', 'all', 'quorum']],
          ['quorum', 'Quorum', 'text'],
          ['expiry', 'Expiry', 'text', 'P1D'],
          ['onExpiry', 'On expiry', ['', 'reject', 'approve', 'escalate']],
          ['remind', 'Remind every', 'text', 'PT4H'],
          ['requesterMayApprove', 'Requester may approve', ['', 'false', 'true']],
          ['title', 'Title', 'text', 'Change ${ticket}'],
          ['show', 'Fields shown to approvers', 'text', 'ticket, risk']
        ]));
        add(this._attributesGroup(element, 'ops-assignment', t('Assignment'), 'ops:Assignment', [
          ['assignee', 'Assignee', 'text'],
          ['candidateGroups', 'Candidate groups', 'text', 'ops, sre'],
          ['candidateUsers', 'Candidate users', 'text'],
          ['dueDate', 'Due date', 'text', 'PT4H']
        ]));
        add(this._formGroup(element));
      }
      if (is(element, 'bpmn:StartEvent') && !getBusinessObject(element).$parent?.triggeredByEvent) {
        if (hasStartForm(element)) add(this._formGroup(element));
        add(this._triggersGroup(element));
      }
      if (hasTimer(element)) {
        add(this._attributesGroup(element, 'ops-cron', t('Cron expression'), 'ops:Cron', [['expression', 'Cron expression', 'text', '0 0 2 * * ?']]));
      }
      if (is(element, 'bpmn:SequenceFlow')) add(this._conditionGroup(element));
      if (is(element, 'bpmn:ReceiveTask') || hasMessage(element)) {
        add(this._attributesGroup(element, 'ops-correlation', t('Correlation'), 'ops:Subscription', [['correlationKey', 'Correlation key', 'text', '${orderId}']]));
      }
      if (is(element, 'bpmn:CallActivity')) {
        add(this._attributesGroup(element, 'ops-called', t('Called process'), 'ops:CalledProcess', [
          ['key', 'Key', 'text'],
          ['version', 'Version (latest or a number)', 'text', 'latest'],
          ['propagateAllVariables', 'propagateAllVariables', ['', 'true', 'false']]
        ]));
      }
      if (is(element, 'bpmn:ScriptTask')) add(this._scriptGroup(element));
      if (is(element, 'bpmn:Activity') && getBusinessObject(element).loopCharacteristics && is(getBusinessObject(element).loopCharacteristics, 'bpmn:MultiInstanceLoopCharacteristics')) {
        add(this._attributesGroup(element, 'ops-loop', t('Multi-instance'), 'ops:Loop', [
          ['collection', 'Collection', 'text', '${hosts}'],
          ['element', 'Element variable', 'text', 'host'],
          ['outputCollection', 'Output collection', 'text'],
          ['outputElement', 'Output element', 'text', '${output}']
        ]));
      }
      return groups;
    };
  }

  _descriptor(element) {
    const type = opsElement(element, 'ops:Task')?.type;
    return this._executors.find((d) => d.type === type);
  }

  _executorGroup(element) {
    const injector = this._injector;
    const executors = this._executors;
    const entries = [{
      id: 'ops-task-type',
      element,
      isEdited: isSelectEntryEdited,
      component: OpsSelect,
      label: t('Executor type'),
      description: executorHelp(executors, element),
      getValue: () => opsElement(element, 'ops:Task')?.type || '',
      setValue: (value) => setExecutorType(injector, element, value, executors.find((d) => d.type === value)),
      getOptions: () => {
          const current = opsElement(element, 'ops:Task')?.type;
          const options = [{ value: '', label: t('Choose an executor') },
            ...executors.map((d) => ({ value: d.type, label: `${executorName(d)} (${d.type})` }))];
          // A type this server does not know still shows, so opening a file never changes it.
        if (current && !executors.some((d) => d.type === current)) options.push({ value: current, label: current });
        return options;
      }
    }];
    if (opsElement(element, 'ops:Task')) {
      for (const [attribute, label, placeholder] of [['retries', 'Retries', '3'], ['timeout', 'Timeout', 'PT5M'], ['retryBackoff', 'Retry backoff', 'PT5S']]) {
        entries.push(attributeEntry(injector, element, 'ops:Task', attribute, t(label), 'text', placeholder, false));
      }
    }
    const descriptor = this._descriptor(element);
    return {
      id: 'ops-executor',
      label: descriptor ? `${t('Executor')}: ${executorName(descriptor)}` : t('Executor'),
      entries
    };
  }

  _inputsGroup(element) {
    const descriptor = this._descriptor(element);
    if (!descriptor) return null;
    const entries = descriptor.inputs.map((input) => this._inputEntry(element, input));
    return { id: 'ops-inputs', label: t('Inputs'), entries };
  }

  _inputEntry(element, input) {
    const injector = this._injector;
    const id = `ops-input-${input.name}`;
    const label = input.required ? `${input.name} *` : input.name;
    const notes = [inputDescription(input), input.default !== undefined && input.default !== null ? t('default: {value}', { value: input.default }) : null,
      input.required ? t('required') : null].filter(Boolean).join(' · ');
    const getValue = () => opsInput(element, input.name)?.value || '';
    const setValue = (value) => setOpsInput(injector, element, input.name, value);
    const choices = input.uiHint === 'credential'
      ? this._credentials.map((c) => c.name)
      : input.type === 'enum' ? input.options || [] : input.type === 'boolean' ? ['true', 'false'] : null;

    if (choices) {
      // An expression or a name this server does not list stays selectable.
      return { id, element, isEdited: isSelectEntryEdited, component: OpsSelect, label, description: notes, getValue, setValue,
        getOptions: () => choiceOptions(choices, getValue(), (value) => optionLabel(input, value)) };
    }
    const multiline = ['code', 'json', 'multiline'].includes(input.uiHint) || ['object', 'array'].includes(input.type);
    return { id, element, isEdited: isTextFieldEntryEdited, component: OpsText, multiline, label, getValue, setValue,
      description: `${notes} ${t(EXPRESSION_HINT)}`.trim() };
  }

  _outputsGroup(element) {
    const injector = this._injector;
    return {
      id: 'ops-outputs',
      label: t('Outputs'),
      entries: [{
        id: 'ops-outputs-text', element, isEdited: isTextFieldEntryEdited, component: OpsText, multiline: true,
        label: t('Outputs'), description: t('One per line: name = ${expression}'),
        getValue: () => outputsText(element),
        setValue: (value) => setOutputsText(injector, element, value)
      }]
    };
  }

  /** The embedded form (edited in the form editor) and, for a form kept elsewhere, its key. */
  _formGroup(element) {
    const group = this._attributesGroup(element, 'ops-form', t('Form'), 'ops:Form', [['key', 'Form key', 'text']]);
    group.entries.unshift(formEntry(this._injector, element));
    return group;
  }

  _triggersGroup(element) {
    return this._attributesGroup(element, 'ops-triggers', t('Triggers'), null, [
      ['ops:Alert', 'match', 'Alert matchers', 'textarea', 'alertname="DiskFull", severity=~"critical|warning"'],
      ['ops:Alert', 'maxConcurrent', 'Max concurrent instances', 'text', '5'],
      ['ops:Alert', 'cooldown', 'Cooldown', 'text', 'PT10M'],
      ['ops:Alert', 'breakerFailures', 'Breaker: failures', 'text', '3'],
      ['ops:Alert', 'breakerWindow', 'Breaker: window', 'text', 'PT10M'],
      ['ops:Http', 'method', 'HTTP method', ['', 'POST', 'PUT', 'GET', 'DELETE', 'PATCH']],
      ['ops:Http', 'path', 'HTTP path', 'text', 'deploy/{service}']
    ]);
  }

  /** A group of attribute fields; each field is [attribute, label, kind, placeholder] or, with type null, [type, attribute, ...]. */
  _attributesGroup(element, id, label, type, fields) {
    const entries = fields.map((field) => {
      const [opsType, attribute, fieldLabel, kind, placeholder] = type ? [type, ...field] : field;
      return attributeEntry(this._injector, element, opsType, attribute, t(fieldLabel), kind, placeholder, true);
    });
    return { id, label, entries };
  }

  _conditionGroup(element) {
    const bo = getBusinessObject(element);
    const source = bo.sourceRef;
    // Only flows that can be conditional: out of exclusive/inclusive gateways and activities.
    if (!source || !(is(source, 'bpmn:ExclusiveGateway') || is(source, 'bpmn:InclusiveGateway') || is(source, 'bpmn:Activity'))) return null;
    const injector = this._injector;
    return {
      id: 'ops-condition',
      label: t('Condition'),
      entries: [{
        id: 'ops-condition-expression', element, isEdited: isTextFieldEntryEdited, component: OpsText,
        label: t('Condition expression'), description: "${level > 3 && env == 'prod'}",
        getValue: () => getBusinessObject(element).conditionExpression?.body || '',
        setValue: (value) => {
          const conditionExpression = value
            ? injector.get('bpmnFactory').create('bpmn:FormalExpression', { body: value })
            : undefined;
          injector.get('modeling').updateProperties(element, { conditionExpression });
        }
      }]
    };
  }

  _scriptGroup(element) {
    const injector = this._injector;
    const group = this._attributesGroup(element, 'ops-script', t('Script'), 'ops:Script', [['resultVariable', 'Result variable', 'text']]);
    group.entries.unshift({
      id: 'ops-script-body', element, isEdited: isTextFieldEntryEdited, component: OpsText, multiline: true, rows: 6,
      label: t('Script'), description: 'JavaScript (ES2023)',
      getValue: () => getBusinessObject(element).script || '',
      setValue: (value) => injector.get('modeling').updateProperties(element, {
        script: value || undefined, scriptFormat: getBusinessObject(element).scriptFormat || 'javascript'
      })
    });
    return group;
  }
}

function attributeEntry(injector, element, type, attribute, label, kind, placeholder, removeWhenEmpty) {
  const id = `${type.replace(':', '-').toLowerCase()}-${attribute}`;
  const getValue = () => opsElement(element, type)?.get(attribute) || '';
  const setValue = (value) => setOpsAttribute(injector, element, type, attribute, value, removeWhenEmpty);
  if (Array.isArray(kind)) {
    return { id, element, isEdited: isSelectEntryEdited, component: OpsSelect, label, getValue, setValue,
      getOptions: () => choiceOptions(kind.filter(Boolean), getValue()) };
  }
  return { id, element, isEdited: isTextFieldEntryEdited, component: OpsText, multiline: kind === 'textarea', label, getValue, setValue,
    description: placeholder || undefined };
}

// Components are module-level so that a re-render keeps them (and the focus in them); each entry
// brings its own label, getValue and setValue.
function OpsText(props) {
  const debounce = useService('debounceInput');
  const Entry = props.multiline ? TextAreaEntry : TextFieldEntry;
  return Entry({ ...props, debounce, rows: props.rows || 3 });
}

function OpsSelect(props) {
  return SelectEntry(props);
}

/** Select options: empty, the choices, and the current value when it is not one of them (an expression). */
function choiceOptions(choices, current, label = (value) => value) {
  const values = ['', ...choices];
  if (current && !values.includes(current)) values.push(current);
  return values.map((v) => ({ value: v, label: v ? label(v) : '—' }));
}

/** The chosen executor's description in the user's language, shown under the executor type. */
function executorHelp(executors, element) {
  const descriptor = executors.find((d) => d.type === opsElement(element, 'ops:Task')?.type);
  return descriptor ? executorDescription(descriptor) : undefined;
}

function eventDefinitions(element) {
  return getBusinessObject(element).eventDefinitions || [];
}

function hasTimer(element) {
  return eventDefinitions(element).some((d) => is(d, 'bpmn:TimerEventDefinition'));
}

function hasMessage(element) {
  return (is(element, 'bpmn:IntermediateCatchEvent') || is(element, 'bpmn:BoundaryEvent') || is(element, 'bpmn:StartEvent'))
    && eventDefinitions(element).some((d) => is(d, 'bpmn:MessageEventDefinition'));
}

/** A none start event of a process: the one people start by hand, so the one whose form someone fills (ADR 0022). */
function hasStartForm(element) {
  return eventDefinitions(element).length === 0 && is(getBusinessObject(element).$parent, 'bpmn:Process');
}
