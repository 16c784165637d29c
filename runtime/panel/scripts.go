package panel

// Scripter is implemented by panels that come with JavaScript of their
// own, DjDT's Panel.scripts. The toolbar never runs scripts found in panel
// content (it strips them); instead it loads each URL that Scripts returns
// once per page, as an external script with the page's CSP nonce, before
// it first shows the panel, and then, every time the panel's content is
// shown, dispatches on window a "ddt:panel-shown" CustomEvent whose detail
// is {panel: id, request: request id, root: the element holding the
// content}. Serve the scripts from your app (they must be allowed by its
// Content-Security-Policy).
type Scripter interface {
	Scripts() []string
}
