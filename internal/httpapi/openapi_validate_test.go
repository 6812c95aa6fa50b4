package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// TestMain checks every JSON request and response the package's HTTP tests make against the
// OpenAPI document (/api/v1/openapi.json) with kin-openapi's validator: http.DefaultTransport,
// which the tests' clients use, is wrapped by contractCheck. A response that its route's schema
// refuses, an accepted request that the document refuses, or an /api/ address that the server
// answers but the document lacks fails the run, with the request named; so does an error body
// whose message is not Vietnamese (checkVietnamese). The routes are the ones
// the modules list, so a route added later is checked by the same test.
func TestMain(m *testing.M) {
	c, err := newContractCheck()
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
	base := http.DefaultTransport
	http.DefaultTransport = roundTripFunc(func(r *http.Request) (*http.Response, error) { return c.roundTrip(base, r) })
	code := m.Run()
	if f := flag.Lookup("test.run"); code == 0 && f != nil && f.Value.String() == "" && !testing.Short() {
		// The whole suite ran: every operation of the document must have been met, so that each
		// is checked against its schemas at least once.
		if unseen := c.unseen(); len(unseen) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %d API operations of the document no test requests (add a request to a test of the route):\n%s\n", len(unseen), strings.Join(unseen, "\n"))
			code = 1
		}
	}
	if problems, seen := c.report(); len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d requests or responses differ from the OpenAPI document:\n%s\n", len(problems), strings.Join(problems, "\n"))
		code = 1
	} else if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "openapi: %d API operations checked against the document\n", seen)
	}
	os.Exit(code)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type contractCheck struct {
	doc *openapi3.T
	mux *http.ServeMux // the document's operations, routed as the server routes them

	mu       sync.Mutex
	problems map[string]bool
	seen     map[string]bool
	count    map[string]int
}

func newContractCheck() (*contractCheck, error) {
	for _, ct := range []string{xlsxType, docxType, "text/csv", "application/pdf", "application/octet-stream"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	doc, err := loadOpenAPI()
	if err != nil {
		return nil, err
	}
	c := &contractCheck{doc: doc, mux: http.NewServeMux(), problems: map[string]bool{}, seen: map[string]bool{}, count: map[string]int{}}
	for path, item := range doc.Paths.Map() {
		if !jsonPath(path) {
			continue
		}
		for method := range item.Operations() {
			c.mux.HandleFunc(method+" "+path, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return c, nil
}

// loadOpenAPI reads the document as a client would, and checks that it is a valid OpenAPI 3.1
// document (schemas, references, examples).
func loadOpenAPI() (*openapi3.T, error) {
	b, err := json.Marshal(openAPIDocument(allRoutes()))
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the document is not valid OpenAPI: %w", err)
	}
	return doc, nil
}

// fail records a problem; the first three of each operation are kept.
func (c *contractCheck) fail(op, format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count[op]++; c.count[op] <= 3 {
		c.problems[fmt.Sprintf(format, args...)] = true
	}
}

// unseen lists the document's JSON operations that no request met.
func (c *contractCheck) unseen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for path, item := range c.doc.Paths.Map() {
		if !jsonPath(path) {
			continue
		}
		for method := range item.Operations() {
			if !c.seen[method+" "+path] {
				out = append(out, method+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (c *contractCheck) report() ([]string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for p := range c.problems {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, len(c.seen)
}

func (c *contractCheck) roundTrip(base http.RoundTripper, r *http.Request) (*http.Response, error) {
	if !jsonPath(r.URL.Path) {
		return base.RoundTrip(r)
	}
	var reqBody []byte
	if r.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := base.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err != nil {
		return resp, err
	}
	c.check(r, reqBody, resp, respBody)
	return resp, nil
}

func (c *contractCheck) check(r *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	name := r.Method + " " + r.URL.RequestURI()
	probe := r.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	_, pattern := c.mux.Handler(probe)
	if pattern == "" {
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			c.fail(r.Method+" "+r.URL.Path, "%s: answered %d but the document has no such operation", name, resp.StatusCode)
		}
		return
	}
	if resp.StatusCode >= 400 {
		c.checkVietnamese(pattern, name, resp.StatusCode, respBody)
	}
	method, path := splitPattern(pattern)
	item := c.doc.Paths.Find(path)
	route := &routers.Route{Spec: c.doc, Path: path, PathItem: item, Method: method, Operation: item.GetOperation(method)}
	c.mu.Lock()
	c.seen[pattern] = true
	c.mu.Unlock()
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: pathValues(path, r.URL.Path), Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	ctx := context.Background()
	// Requests the server refused may be refused by the document too (the tests send wrong ones
	// on purpose); one the server accepted must fit it.
	if resp.StatusCode < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			c.fail(pattern, "%s %s: accepted (%d) but the document refuses the request: %s", name, clip(reqBody), resp.StatusCode, oneLine(err))
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		c.fail(pattern, "%s: response %d %s differs from the document: %s", name, resp.StatusCode, clip(respBody), oneLine(err))
	}
}

// checkVietnamese fails an error body whose message or a field's reason is plain ASCII: the
// messages are for Vietnamese users, and English from a library (encoding/json, strconv, SQL)
// has reached them before (TestDecodeJSON). Every Vietnamese sentence the package writes has a
// letter outside ASCII.
func (c *contractCheck) checkVietnamese(op, name string, status int, body []byte) {
	var e struct {
		Message string `json:"message"`
		Fields  []struct {
			Reason string `json:"reason"`
		} `json:"fields"`
	}
	if json.Unmarshal(body, &e) != nil {
		return // not an error body: the schema check says so
	}
	texts := []string{e.Message}
	for _, f := range e.Fields {
		texts = append(texts, f.Reason)
	}
	for _, x := range texts {
		if x != "" && !strings.ContainsFunc(x, func(r rune) bool { return r > unicode.MaxASCII }) {
			c.fail(op, "%s: %d error %q is not Vietnamese", name, status, x)
		}
	}
}

// pathValues reads the {name} segments of pattern path from an address.
func pathValues(pattern, path string) map[string]string {
	out := map[string]string{}
	ps, vs := strings.Split(pattern, "/"), strings.Split(path, "/")
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && i < len(vs) {
			out[strings.Trim(p, "{}.")] = vs[i]
		}
	}
	return out
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 1200 {
		s = s[:1200] + "…"
	}
	return s
}

// TestOpenAPIDocumentValid: the document loads and validates as OpenAPI 3.1, and every JSON
// route names the types of its bodies.
func TestOpenAPIDocumentValid(t *testing.T) {
	if _, err := loadOpenAPI(); err != nil {
		t.Fatal(err)
	}
	types := wired().api
	for _, rt := range allRoutes() {
		method, path := splitPattern(rt.pattern)
		if !jsonPath(path) {
			continue
		}
		ty, ok := types[rt.pattern]
		if !ok {
			t.Errorf("%s: no apiTypes (name the types its handler decodes and encodes in its module's api map)", rt.pattern)
			continue
		}
		if method != "GET" && ty.in == nil && ty.out == nil && ty.file == "" {
			t.Errorf("%s: apiTypes names no body", rt.pattern)
		}
	}
}

// TestContractCheckCatchesDrift: the check refuses a response with a key its type lacks, a
// response without a required key, an accepted request the document refuses, and an /api/
// address that answers but is not in the document.
func TestContractCheckCatchesDrift(t *testing.T) {
	c, err := newContractCheck()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, reqBody string
		status                      int
		respBody                    string
		want                        string
	}{
		{"extra key", "GET", "/api/v1/organisations", "", 200, `{"as_of":"2025-07-01","organisations":[],"extra":1}`, "differs"},
		{"missing key", "GET", "/api/v1/organisations/PD/history", "", 200, `{}`, "differs"},
		{"date not ISO", "GET", "/api/v1/organisations", "", 200, `{"as_of":"01/07/2025","organisations":[]}`, "differs"},
		{"error body", "GET", "/api/v1/members/X", "", 404, `{"message":"không có"}`, "differs"},
		{"bad request accepted", "POST", "/api/v1/inspections/R1/stage", `{"stage":"nowhere"}`, 200, `{}`, "refuses"},
		{"route missing", "GET", "/api/v1/nowhere", "", 200, `{}`, "no such operation"},
		{"fine", "GET", "/api/v1/organisations", "", 200, `{"as_of":"2025-07-01","total":0,"offset":0,"limit":1000,"next":null,"organisations":[]}`, ""},
		{"unknown address", "GET", "/api/v1/nowhere", "", 404, `{"error":"not_found","message":"không có"}`, ""},
		{"English error", "GET", "/api/v1/members/X", "", 400, `{"error":"invalid","message":"json: cannot unmarshal"}`, "not Vietnamese"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.problems, c.count = map[string]bool{}, map[string]int{}
			r, _ := http.NewRequest(tc.method, "http://x"+tc.path, strings.NewReader(tc.reqBody))
			r.Header.Set("Content-Type", "application/json")
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}
			c.check(r, []byte(tc.reqBody), resp, []byte(tc.respBody))
			got, _ := c.report()
			if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) == 0 || !strings.Contains(got[0], tc.want)) {
				t.Errorf("want %q, got %q", tc.want, got)
			}
		})
	}
}

// freeText are the query parameters that are text by nature: names, codes and numbers of
// organisations, members and documents, typed by people or taken from links.
var freeText = map[string]string{
	"q": "a name typed", "org": "a code or a name", "under": "a code or a name", "parent": "a code",
	"document": "a document's number", "key": "a figure's key, from the report", "decider": "an organisation's code",
	"member": "a member's id", "programme": "a programme's id", "name": "an uploaded file's name",
}

// TestOpenAPIParamsAndExamples: every query parameter of the document is typed — a date, a
// month, a count, a code list — unless it is text by nature (freeText), and every JSON operation
// shows an example of its answer (and of its request body, when it takes one), or answers only a
// file.
func TestOpenAPIParamsAndExamples(t *testing.T) {
	doc := openAPIDocument(allRoutes())
	for path, item := range doc["paths"].(map[string]any) {
		if !jsonPath(path) {
			continue
		}
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			where := strings.ToUpper(method) + " " + path
			for _, p := range op["parameters"].([]any) {
				p := p.(map[string]any)
				s := p["schema"].(map[string]any)
				if p["in"] == "query" && s["type"] == "string" && s["enum"] == nil && s["pattern"] == nil && freeText[p["name"].(string)] == "" {
					t.Errorf("%s: parameter %s is untyped text (give it an enum, a pattern or a type in paramSchema, or list it in freeText)", where, p["name"])
				}
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				if mt, ok := rb["content"].(map[string]any)["application/json"].(map[string]any); ok && mt["example"] == nil {
					t.Errorf("%s: the request body has no example", where)
				}
			}
			for code, r := range op["responses"].(map[string]any) {
				if !strings.HasPrefix(code, "2") {
					continue
				}
				content, _ := r.(map[string]any)["content"].(map[string]any)
				if mt, ok := content["application/json"].(map[string]any); ok && mt["example"] == nil {
					t.Errorf("%s: the %s answer has no example", where, code)
				}
				if len(content) == 0 {
					t.Errorf("%s: the %s answer has no content", where, code)
				}
			}
		}
	}
}

// TestOpenAPIKeysSnakeCase: every property of every schema in the document — what others'
// programs read and write — is snake_case, never a Go field name (a type without json tags).
func TestOpenAPIKeysSnakeCase(t *testing.T) {
	doc := openAPIDocument(allRoutes())
	key := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for name := range props {
					if !key.MatchString(name) {
						t.Errorf("%s: property %q is not snake_case (add a json tag)", at, name)
					}
				}
			}
			for k, y := range x {
				walk(at+"/"+k, y)
			}
		case []any:
			for i, y := range x {
				walk(fmt.Sprintf("%s/%d", at, i), y)
			}
		}
	}
	walk("#", doc)
}
