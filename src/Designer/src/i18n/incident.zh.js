// The incident process's work form: escalating to another group.
export default {
  'Escalate to another group': '升级到其他组',
  'Escalate to group': '升级到的组',
  'Why escalate': '升级原因',
  'What was tried, and what the group should look at': '已尝试了什么，需要该组查看什么',
  'escalate': '升级',
  'Process step': '流程步骤'
};
