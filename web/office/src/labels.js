// The server's catalogue of labels (GET /api/v1/labels, config/messages/labels.json): state
// names, history events, card fields, roster columns, audit actions… The console keeps no
// copy of its own, so it says what the server's exports say and never shows a raw code.
import { reactive } from 'vue';

export const labels = reactive({ loaded: false, groups: {} });
let loading = null;

export function loadLabels() {
  if (!loading) {
    loading = fetch('/api/v1/labels')
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((groups) => {
        labels.groups = groups;
        labels.loaded = true;
      })
      .catch((error) => {
        loading = null;
        throw error;
      });
  }
  return loading;
}

// The label of `key` in `group`; a key the catalogue does not know is shown as it is.
export function label(group, key) {
  const entries = labels.groups[group];
  return (entries && entries[key]) || key || '';
}

// [{value, label}] of a group, in the catalogue's order: for filters and selects.
export function options(group) {
  return Object.entries(labels.groups[group] || {}).map(([value, text]) => ({ value, label: text }));
}
