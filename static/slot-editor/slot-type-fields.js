// The slot form: show the fields the chosen slot type uses (values: categorical; min/max: float) right under
// the type select and keep the others in the closed "Fields for other types" box. The server renders the same
// split for the stored type, so without this script the page still works; this only follows the select live.
(function () {
  function sync(form) {
    var select = form.querySelector('select[name="type"]');
    var here = form.querySelector('[data-type-fields]');
    var other = form.querySelector('[data-other-type-fields]');
    if (!select || !here || !other) return;
    var fields = Array.prototype.slice.call(form.querySelectorAll('[data-slot-types]'));
    fields.sort(function (a, b) { return Number(a.dataset.order) - Number(b.dataset.order); });
    fields.forEach(function (field) {
      var fits = field.dataset.slotTypes.split(' ').indexOf(select.value) !== -1;
      (fits ? here : other).appendChild(field);  // moving keeps what the user typed
    });
    other.hidden = !other.querySelector('[data-slot-types]');
  }
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target.matches && target.matches('form.slot-form select[name="type"]')) sync(target.form);
  });
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form.slot-form').forEach(sync);
  });
})();
