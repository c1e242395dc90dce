// Uploads from a phone can take minutes: forms marked data-progress show how far they are.
// The form is sent the same way (same fields, same address); the page the server answers
// with then replaces this one, as after an ordinary post. Without this script the forms
// post as usual.
(function () {
  if (!window.FormData || !window.XMLHttpRequest) return;
  var forms = document.querySelectorAll('form[data-progress]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('submit', function (event) {
      var box = form.querySelector('.progress');
      var bar = box && box.querySelector('progress');
      var status = box && box.querySelector('.progress-status');
      if (!bar) return;
      event.preventDefault();
      var button = form.querySelector('button[type=submit]');
      if (button) button.disabled = true;
      box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) {
          bar.removeAttribute('value');
          return;
        }
        var percent = Math.floor((e.loaded * 100) / e.total);
        bar.value = percent;
        if (status) status.textContent = percent + ' %';
      });
      xhr.addEventListener('load', function () {
        var page = xhr.responseText;
        var url = xhr.responseURL;
        document.open();
        document.write(page);
        document.close();
        // The address of the page shown (after the redirect), so reloading does not post again.
        if (url && window.history && window.history.replaceState) {
          window.history.replaceState(null, '', url);
        }
      });
      xhr.addEventListener('error', function () {
        if (button) button.disabled = false;
        box.hidden = true;
        var failed = form.getAttribute('data-failed');
        if (failed) window.alert(failed);
      });
      xhr.send(new FormData(form));
    });
  });
})();
