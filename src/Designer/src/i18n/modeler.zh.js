// Simplified Chinese for what bpmn-js, diagram-js and the properties panel say of themselves on the designer
// pages (section toggles, list buttons, context pad and popup menu titles), which reach the product's dictionary
// through bpmn-js's translate service (translateModule in i18n.js), and for the pages' remaining own strings.

export default {
  'Toggle section': '展开/收起此部分',
  'Toggle list item': '展开/收起此项',
  'Section contains an error': '此部分有错误',
  'Section contains edits': '此部分有改动',
  'Create new list item': '新建列表项',
  'Delete item': '删除此项',
  'Open documentation': '打开文档',
  'Open pop-up editor': '在弹出编辑器中打开',
  'Opened in editor': '已在编辑器中打开',
  '<empty>': '<空>',
  'List contains {numOfItems} item': '列表中有 {numOfItems} 项',
  'List contains {numOfItems} items': '列表中有 {numOfItems} 项',

  // The designer's and the tickets' and hosts' pages.
  'The key names the process in URLs, hooks and the API; it cannot change later.': '标识在 URL、钩子和 API 中指代该流程，创建后不能更改。',
  'Host names, separated by commas': '主机名，用逗号分隔',
  'Service names, separated by commas': '服务名，用逗号分隔',
  'For example': '例如'
};
