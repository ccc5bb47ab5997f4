// Starts the vendored GraphiQL against this server's /graphql (the session cookie is sent
// with each request, so an admin signed in to the UI can query at once).
(function () {
  const url = window.location.origin + "/graphql";
  const fetcher = GraphiQL.createFetcher({ url: url });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
