// The case page: choosing an answer template fills the answer; the handler then
// adapts the text. The templates travel as JSON (json_script), not as code.
(function () {
  var data = document.getElementById("answer-templates");
  var select = document.getElementById("id_answer-template");
  var text = document.getElementById("id_answer-answer");
  if (!data || !select || !text) return;
  var bodies = JSON.parse(data.textContent);
  select.addEventListener("change", function () {
    var body = bodies[select.value];
    if (body) text.value = text.value.trim() ? text.value + "\n\n" + body : body;
  });
})();
