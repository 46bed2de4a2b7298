// English is written in the code; Simplified Chinese comes from this table. The choice is kept
// in localStorage. t('Saved version {n}', { n: 3 }) fills placeholders.

const STORAGE_KEY = 'weops.lang';

const zh = {
  'Sign in': '登录',
  'Sign out': '退出',
  'API key': 'API 密钥',
  'Sign in with an API key that an administrator created for you.': '使用管理员为您创建的 API 密钥登录。',
  'Signed in as': '当前用户',
  Processes: '流程',
  Designer: '设计器',
  Instances: '实例',
  Tasks: '任务',
  Alerts: '告警',
  Language: '语言',
  Name: '名称',
  Key: '标识',
  'Latest draft': '最新草稿',
  'Published version': '已发布版本',
  'Running instances': '运行中实例',
  'New process': '新建流程',
  Open: '打开',
  'No processes yet.': '还没有流程。',
  Import: '导入',
  'Export BPMN': '导出 BPMN',
  'Export SVG': '导出 SVG',
  Validate: '校验',
  'Save draft': '保存草稿',
  Publish: '发布',
  'Publish note': '发布说明',
  Versions: '版本',
  Compare: '比较',
  'Start instance': '启动实例',
  'Variables (JSON)': '变量（JSON）',
  Start: '启动',
  Cancel: '取消',
  Problems: '问题',
  'No problems.': '没有问题。',
  'Saved draft of {key}.': '已保存 {key} 的草稿。',
  'Published {key} version {version}.': '已发布 {key} 第 {version} 版。',
  'The draft has errors and cannot be published.': '草稿有错误，无法发布。',
  'Started instance {id}.': '已启动实例 {id}。',
  'Version {n} (read-only)': '第 {n} 版（只读）',
  'Back to the draft': '返回草稿',
  'Compare version': '比较版本',
  with: '与',
  Added: '新增',
  Removed: '删除',
  Changed: '修改',
  'No differences.': '没有差异。',
  Element: '元素',
  Type: '类型',
  Status: '状态',
  'Started at': '开始时间',
  'Ended at': '结束时间',
  'Definition': '流程定义',
  Version: '版本',
  Filter: '筛选',
  All: '全部',
  running: '运行中',
  waiting: '等待中',
  faulted: '故障',
  completed: '已完成',
  cancelled: '已取消',
  failed: '失败',
  active: '进行中',
  Retry: '重试',
  'Cancel instance': '取消实例',
  Variables: '变量',
  History: '历史',
  Faults: '故障',
  'No instances.': '没有实例。',
  'Open tasks': '待办任务',
  'No open tasks.': '没有待办任务。',
  Approve: '批准',
  Reject: '驳回',
  Comment: '意见',
  Instance: '实例',
  Assignee: '处理人',
  'Candidate groups': '候选组',
  'Alert log': '告警日志',
  'Storm control': '风暴抑制',
  'The alert log is not available on this server.': '此服务器尚未提供告警日志。',
  'No alerts.': '没有告警。',
  Fingerprint: '指纹',
  Labels: '标签',
  'Received at': '接收时间',
  'Started instance': '启动的实例',
  Process: '流程',
  State: '状态',
  Until: '直到',
  'Loading…': '加载中…',
  Refresh: '刷新',
  'Read-only': '只读',
  Actor: '执行者',
  Message: '消息',
  'Could not read the file: {message}': '无法读取文件：{message}',
  'Unsaved changes': '有未保存的修改',
  'Permission denied: {message}': '没有权限：{message}',
  'Executor': '执行器',
  'Executors': '执行器',
  'Inputs': '输入',
  'Outputs': '输出',
  'Executor type': '执行器类型',
  'Retries': '重试次数',
  'Timeout': '超时',
  'Retry backoff': '重试间隔',
  'Approval': '审批',
  'Approvers': '审批人',
  'Policy': '策略',
  'Quorum': '法定人数',
  'Expiry': '有效期',
  'Assignment': '分配',
  'Candidate users': '候选用户',
  'Due date': '到期时间',
  'Form key': '表单',
  'Triggers': '触发方式',
  'Alert matchers': '告警匹配器',
  'Max concurrent instances': '最大并发实例',
  'Cooldown': '冷却时间',
  'Breaker: failures': '熔断：失败次数',
  'Breaker: window': '熔断：时间窗口',
  'On expiry': '到期时',
  'Remind every': '提醒间隔',
  'Requester may approve': '申请人可审批',
  'Title': '标题',
  'Fields shown to approvers': '向审批人展示的字段',
  'HTTP method': 'HTTP 方法',
  'HTTP path': 'HTTP 路径',
  'Condition': '条件',
  'Condition expression': '条件表达式',
  'Correlation': '关联',
  'Correlation key': '关联键',
  'Cron expression': 'Cron 表达式',
  'Called process': '被调用流程',
  'Version (latest or a number)': '版本（latest 或数字）',
  'Script': '脚本',
  'Result variable': '结果变量',
  'Collection': '集合',
  'Element variable': '元素变量',
  'Output collection': '输出集合',
  'Output element': '输出元素',
  'One per line: name = ${expression}': '每行一个：名称 = ${表达式}',
  'Use ${...} for an expression, e.g. ${alert.labels.instance}.': '可用 ${...} 写表达式，例如 ${alert.labels.instance}。',
  'default: {value}': '默认：{value}',
  required: '必填',
  'Choose an executor': '选择执行器',
  'Multi-instance': '多实例',
  'Create {name}': '创建 {name}',
  // bpmn-js's own labels (palette, context pad, properties panel)
  'Activate hand tool': '激活抓手工具',
  'Activate lasso tool': '激活套索工具',
  'Activate create/remove space tool': '激活空间工具',
  'Activate global connect tool': '激活全局连接工具',
  'Create start event': '创建开始事件',
  'Create end event': '创建结束事件',
  'Create task': '创建任务',
  'Create gateway': '创建网关',
  'Create intermediate/boundary event': '创建中间/边界事件',
  'Create expanded sub-process': '创建子流程',
  'Create pool/participant': '创建池/参与者',
  'Create data object reference': '创建数据对象引用',
  'Create data store reference': '创建数据存储引用',
  'Create group': '创建分组',
  'Connect using sequence/message flow or association': '用顺序流/消息流或关联连接',
  'Connect to other element': '连接到其他元素',
  'Delete': '删除',
  'Change element': '更改元素',
  'Append end event': '追加结束事件',
  'Append gateway': '追加网关',
  'Append task': '追加任务',
  'Append intermediate/boundary event': '追加中间/边界事件',
  'Add text annotation': '添加文本注释',
  General: '常规',
  ID: 'ID',
  Documentation: '文档',
  'Element documentation': '元素文档',
  Timer: '定时器',
  'Type': '类型',
  'Value': '值',
  'Date': '日期',
  'Duration': '持续时间',
  'Cycle': '周期',
  'Signal': '信号',
  'Error': '错误',
  'Executable': '可执行'
};

const dictionaries = { en: {}, zh };

let lang = localStorage.getItem(STORAGE_KEY) === 'zh' ? 'zh' : 'en';
const listeners = [];

export function language() {
  return lang;
}

export function setLanguage(next) {
  lang = next === 'zh' ? 'zh' : 'en';
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((listener) => listener(lang));
}

export function onLanguageChange(listener) {
  listeners.push(listener);
}

export function t(text, values) {
  const template = dictionaries[lang][text] ?? text;
  return values ? template.replace(/{([^}]+)}/g, (match, name) => (name in values ? String(values[name]) : match)) : template;
}

/** bpmn-js's translate service, so the palette and the panels speak the same language as the pages. */
export const translateModule = {
  translate: ['value', (template, replacements) => {
    const text = t(template);
    return replacements ? text.replace(/{([^}]+)}/g, (match, name) => replacements[name] ?? match) : text;
  }]
};

document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
