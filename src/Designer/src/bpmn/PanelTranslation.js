// The properties panel's groups say their own words ("Toggle section", "Section contains edits", list buttons) with
// the translate function a group is given, and English when it is given none, which no provider does. This last
// provider gives every group bpmn-js's translate service, so those words follow the page's language.

export default class PanelTranslation {
  static $inject = ['propertiesPanel', 'translate'];

  constructor(propertiesPanel, translate) {
    this._translate = translate;
    // Lowest priority: runs after every provider has added its groups.
    propertiesPanel.registerProvider(1, this);
  }

  getGroups() {
    return (groups) => groups.map((group) => (group.translate ? group : { ...group, translate: this._translate }));
  }
}
