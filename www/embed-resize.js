// Sizes each Metastable Playground embed (iframe[data-metastable-playground]) to the content height
// it reports as {type: "metastable-playground:height", height}.
addEventListener("message", function (event) {
  var data = event.data;
  if (!data || data.type !== "metastable-playground:height" || typeof data.height !== "number") return;
  document.querySelectorAll("iframe[data-metastable-playground]").forEach(function (frame) {
    if (frame.contentWindow === event.source) {
      frame.style.aspectRatio = "auto";
      frame.style.height = Math.min(Math.max(data.height, 100), 5000) + "px";
    }
  });
});
