// Starts the vendored GraphiQL against this server's /graphql (the session cookie is sent
// with each request, so an admin signed in to the UI can query at once).
(function () {
  const url = window.location.origin + "/graphql";
  const fetcher = GraphiQL.createFetcher({ url: url });
  const mount = document.getElementById("graphiql");
  const root = ReactDOM.createRoot(mount);
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));

  // GraphiQL's CodeMirror editors have unnamed text areas and scroll areas a keyboard
  // cannot reach; name and open them as GraphiQL draws them, so screen readers and
  // keyboard users can use the page too.
  function editorName(textarea) {
    if (textarea.readOnly) return "Response";
    if (textarea.closest(".graphiql-query-editor")) return "Query";
    return "Variables or headers (JSON)";
  }
  function makeAccessible() {
    mount.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (t) {
      t.setAttribute("aria-label", editorName(t));
    });
    mount.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach(function (s) {
      s.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(makeAccessible).observe(mount, { childList: true, subtree: true });
})();
