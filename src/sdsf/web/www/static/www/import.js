/* sdsf: the size of a file is checked before it is sent (the server refuses it anyway). */
(function () {
  "use strict";
  var form = document.getElementById("form-import");
  if (!form) { return; }
  var most = parseInt(form.getAttribute("data-taille-max"), 10);
  var message = document.getElementById("erreur-taille");
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (file && most && file.size > most) {
      event.preventDefault();
      message.textContent = "Fichier trop volumineux : " +
        (file.size / 1048576).toLocaleString("fr-FR", { maximumFractionDigits: 0 }) +
        " Mo, au plus " + form.getAttribute("data-taille-max-texte") +
        ". Découpez-le (par département ou par année) ou compressez-le (.csv.gz, .zip).";
      message.hidden = false;
      input.focus();
    }
  });
})();
