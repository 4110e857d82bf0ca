// The API reference on /api/v1/docs: Swagger UI (vendored in static/vendor/swagger-ui) reading
// the OpenAPI document from this site only. No validator badge: it would call swagger.io.
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  root.textContent = "";
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
