package debugapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// MaxAnswer bounds the size of an answer a Client reads: a panel's stats
// can be large, but not without bound.
const MaxAnswer = 64 << 20

// Client reads the JSON API of a running app's toolbar.
type Client struct {
	// Toolbar is the toolbar's root: "http://127.0.0.1:8000/__debug__/".
	Toolbar *url.URL
	// HTTP is the client that sends the requests; nil for
	// http.DefaultClient.
	HTTP *http.Client
}

// NewClient returns a client of the toolbar at toolbarURL, the app's
// address with the toolbar's prefix ("http://127.0.0.1:8000/__debug__/"),
// or the app's address alone, to which the default prefix /__debug__/ is
// added.
func NewClient(toolbarURL string) (*Client, error) {
	u, err := url.Parse(toolbarURL)
	if err != nil {
		return nil, fmt.Errorf("toolbar URL %q: %v", toolbarURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("toolbar URL %q: want http://host:port or https://host:port, with the toolbar's prefix if it is not /__debug__/", toolbarURL)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/__debug__/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return &Client{Toolbar: u}, nil
}

// APIError is an answer of the API other than 200.
type APIError struct {
	Status  int    // the HTTP status
	Message string // the answer's Error, or its status text
	URL     string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: %d %s", e.URL, e.Status, e.Message)
}

// List returns the requests that q selects.
func (c *Client) List(ctx context.Context, q ListQuery) (*RequestList, error) {
	var out RequestList
	return &out, c.Get(ctx, Path+"requests?"+q.Values().Encode(), &out)
}

// Request returns one request and its panels, without their stats.
func (c *Client) Request(ctx context.Context, id string) (*RequestDetail, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("request id %q: want 32 lowercase hex digits", id)
	}
	var out RequestDetail
	return &out, c.Get(ctx, Path+"requests/"+id, &out)
}

// Panels returns every panel of a request, with its stats.
func (c *Client) Panels(ctx context.Context, id string) (*PanelList, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("request id %q: want 32 lowercase hex digits", id)
	}
	var out PanelList
	return &out, c.Get(ctx, Path+"requests/"+id+"/panels", &out)
}

// Panel returns one panel of a request, with its stats.
func (c *Client) Panel(ctx context.Context, id, panel string) (*Panel, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("request id %q: want 32 lowercase hex digits", id)
	}
	var out Panel
	return &out, c.Get(ctx, Path+"requests/"+id+"/panels/"+url.PathEscape(panel), &out)
}

// Get asks the toolbar for path, relative to its root (a leading "/" is
// the app's root), and decodes the JSON answer into v.
func (c *Client) Get(ctx context.Context, path string, v any) error {
	ref, err := url.Parse(path)
	if err != nil {
		return err
	}
	u := c.Toolbar.ResolveReference(ref)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w (is the app running there, with the toolbar on?)", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %v", u, err)
	}
	if len(body) > MaxAnswer {
		return fmt.Errorf("%s: the answer is over %d bytes", u, MaxAnswer)
	}
	if resp.StatusCode != http.StatusOK {
		e := &APIError{Status: resp.StatusCode, Message: http.StatusText(resp.StatusCode), URL: u.String()}
		var ae Error
		if json.Unmarshal(body, &ae) == nil && ae.Error != "" {
			e.Message = ae.Error
		} else if resp.StatusCode == http.StatusNotFound {
			e.Message = "not found: is the toolbar on, and does it let this client in (its Show rule)?"
		}
		return e
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: the answer is not the JSON expected: %v", u, err)
	}
	return nil
}
