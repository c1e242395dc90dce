// The check-in desk: scan ticket QR codes with the camera where the browser can
// (BarcodeDetector); typing the code always works without this script.
(function () {
  var button = document.getElementById('scan');
  var video = document.getElementById('camera');
  var field = document.getElementById('code');
  if (!button || !video || !field || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  button.classList.remove('hidden');
  var label = button.textContent;
  var stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.classList.add('hidden');
    button.textContent = label;
  }
  button.addEventListener('click', function () {
    if (stream) { stop(); return; }
    var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.classList.remove('hidden');
      button.textContent = button.getAttribute('data-label-stop');
      video.play();
      var tick = function () {
        if (!stream) return;
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            var value = codes[0].rawValue;
            var match = /[?&]code=([A-Za-z0-9]+)/.exec(value);
            field.value = match ? match[1] : value;
            stop();
            field.form.submit();
          } else {
            requestAnimationFrame(tick);
          }
        }).catch(function () { requestAnimationFrame(tick); });
      };
      tick();
    }).catch(stop);
  });
})();
