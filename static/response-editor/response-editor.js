// The response editor's payload builder: show only the part of each button that its payload kind uses.
// Without this script every part stays visible and the server uses the one the kind names.
(function () {
  function sync(select) {
    var row = select.closest('.button-row');
    if (!row) return;
    row.querySelectorAll('.payload-part').forEach(function (part) {
      part.hidden = part.dataset.kind !== select.value;
    });
  }
  function syncAll(root) {
    root.querySelectorAll('select[data-payload-kind]').forEach(sync);
  }
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-payload-kind]')) sync(event.target);
  });
  document.addEventListener('DOMContentLoaded', function () { syncAll(document); });
  document.addEventListener('htmx:afterSwap', function (event) { syncAll(event.detail.target.ownerDocument || document); });
})();
