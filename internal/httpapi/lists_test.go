package httpapi

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"dangvu"
)

// notLists are the GET routes whose body holds a slice but is not a list of the API, each with
// why; every other body with one must follow the list convention (apiPage).
var notLists = map[string]string{
	"GET /api/v1/organisations/{id}":            "one organisation; its direct children come with it",
	"GET /api/v1/organisations/{id}/history":    "the versions of one organisation",
	"GET /api/v1/documents/{id}":                "one document with its programme's tasks and conferences",
	"GET /api/v1/programmes/{id}":               "one programme with its tasks",
	"GET /api/v1/conferences/{id}":              "one conference with its attendance",
	"GET /api/v1/me/study":                      "the reader's own conferences and reflections",
	"GET /api/v1/inspections/fields":            "a code list",
	"GET /api/v1/inspections/statistics":        "the statistics' tables",
	"GET /api/v1/disciplines/rules":             "the rules in force",
	"GET /api/v1/disciplines/{id}":              "one decision with its appeals",
	"GET /api/v1/campaigns/{id}":                "one campaign with its progress",
	"GET /api/v1/campaigns/{id}/manifestations": "a code list of the campaign's rule set",
	"GET /api/v1/reviews/rules":                 "the rule sets",
	"GET /api/v1/reviews/rollup":                "a report's table",
	"GET /api/v1/reports/term/list":             "the records behind one figure of a report, whole",
	"GET /api/v1/dues/book":                     "one month's book of a cell, whole as printed",
	"GET /api/v1/dues/summary":                  "a report's table",
	"GET /api/v1/members/{id}/file":             "one member's file",
	"GET /api/v1/badges":                        "one ceremony's register: candidates and those awarded",
	"GET /api/v1/meetings/month":                "one month's grid of a ward's cells",
	"GET /api/v1/rules":                         "the rules in force",
	"GET /api/v1/calendar":                      "one year's calendar",
	"GET /api/v1/admissions/{id}":               "one file with its steps",
	"GET /api/v1/inspections/{id}":              "one round with its subjects",
	"GET /api/v1/meetings/{id}":                 "one meeting with its attendance",
	"GET /api/v1/residence/{id}":                "one registration with its comments",
	"GET /api/v1/coverage":                      "a report's table",
	"GET /api/v1/reviews/{id}":                  "one review",
	"GET /api/v1/reports/term":                  "the report's figures",
}

// listField is the JSON name of the list in a list's body: its slice field.
func listField(t reflect.Type) string {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Slice && f.IsExported() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			return name
		}
	}
	return ""
}

// TestListConvention ranges over every GET route of the API: a body that holds a list (a slice
// field) embeds apiPage — total, offset, limit, next — unless notLists says why not, and the
// document reads offset and limit for it. Then each list is requested, as an administrator of
// ward PD, a row at a time: limit and offset are honoured, next leads to the following page
// and is null on the last.
func TestListConvention(t *testing.T) {
	types := wired().api
	doc := openAPIDocument(allRoutes())
	var lists []route
	for _, rt := range allRoutes() {
		method, path := splitPattern(rt.pattern)
		if method != "GET" || !jsonPath(path) {
			continue
		}
		out := reflect.TypeOf(types[rt.pattern].out)
		if out == nil || out.Kind() != reflect.Struct {
			continue
		}
		switch {
		case isList(types[rt.pattern].out):
			lists = append(lists, rt)
			var names []string
			for _, p := range doc["paths"].(map[string]any)[docPath(path)].(map[string]any)["get"].(map[string]any)["parameters"].([]any) {
				names = append(names, p.(map[string]any)["name"].(string))
			}
			if !strings.Contains(","+strings.Join(names, ",")+",", ",offset,") || !strings.Contains(","+strings.Join(names, ",")+",", ",limit,") {
				t.Errorf("%s: the document does not read offset and limit (%v)", rt.pattern, names)
			}
		case notLists[rt.pattern] == "" && hasSlice(out):
			t.Errorf("%s: its body (%s) holds a list but does not embed apiPage (total, offset, limit, next); embed it, or say in notLists why it is no list", rt.pattern, out)
		}
	}
	for p := range notLists {
		if out := reflect.TypeOf(types[p].out); isList(types[p].out) || out == nil || out.Kind() != reflect.Struct || !hasSlice(out) {
			t.Errorf("%s: listed in notLists but its body is a list, or holds none, or it is no route", p)
		}
	}

	srv, s := newAuthServer(t)
	objects := map[string][2]string{}
	for _, f := range matrixFixtures {
		for k, v := range f(t, s) {
			objects[k] = v
		}
	}
	admin := newUser(t, s, dangvu.User{Username: "qt-pd", UserRole: dangvu.UserAdmin, OrgID: "PD"})
	self := newUser(t, s, dangvu.User{Username: "dv-m1", UserRole: dangvu.UserMember, OrgID: "PD", MemberID: "M1"})
	seen := 0
	for _, rt := range lists {
		_, path := splitPattern(rt.pattern)
		id := "PD"
		if k := idKind(rt.pattern); k == "members" {
			id = "M1"
		} else if o, ok := objects[k]; ok {
			id = o[0]
		}
		q := url.Values{"limit": {"1"}}
		for _, name := range rt.params {
			if name == "org" || name == "under" {
				q.Set(name, "PD")
			}
			if v, ok := matrixParams[name]; ok && name != "format" {
				q.Set(name, v)
			}
		}
		key := listField(reflect.TypeOf(types[rt.pattern].out))
		addr := strings.ReplaceAll(path, "{id}", id) + "?" + q.Encode()
		for page := 0; addr != "" && page < 2; page++ {
			tok := admin
			if strings.HasSuffix(path, "/mine") {
				tok = self // a member's own
			}
			st, body := apiDo(t, srv.URL, tok, "GET", addr, nil)
			rows, _ := body[key].([]any)
			total, _ := body["total"].(float64)
			next, _ := body["next"].(string)
			switch {
			case st != 200:
				t.Errorf("%s: %d %v", addr, st, body)
			case body["limit"] != float64(1) || body["offset"] != float64(page) || len(rows) > 1:
				t.Errorf("%s: limit %v, offset %v, %d rows; want 1, %d, at most 1", addr, body["limit"], body["offset"], len(rows), page)
			case (next != "") != (total > float64(page+1)) || body["next"] != nil && next == "":
				t.Errorf("%s: total %v, next %v", addr, total, body["next"])
			case next != "" && !strings.Contains(next, "offset="+string(rune('1'+page))):
				t.Errorf("%s: next %q does not lead to the next row", addr, next)
			}
			if page == 1 {
				seen++
			}
			addr = next
		}
	}
	t.Logf("%d lists, %d with a second page", len(lists), seen)
	if seen == 0 {
		t.Error("no list had a second page: the fixture lists nothing")
	}
}

// hasSlice tells a struct with a slice field (its own or an embedded struct's).
func hasSlice(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() != reflect.Uint8 {
			return true
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && hasSlice(f.Type) {
			return true
		}
	}
	return false
}

// TestListPaging: next leads to the following page of members and organisations.
func TestListPaging(t *testing.T) {
	srv := newTestServer(t)
	tests := []struct {
		path     string
		total, n int
		next     any
	}{
		{"/api/v1/members?org=PD&as_of=2018-05-31&limit=3", 4, 3, "/api/v1/members?as_of=2018-05-31&limit=3&offset=3&org=PD"},
		{"/api/v1/members?as_of=2018-05-31&limit=3&offset=3&org=PD", 4, 1, nil},
		{"/api/v1/organisations?as_of=2018-05-31&under=UB&limit=2", 4, 2, "/api/v1/organisations?as_of=2018-05-31&limit=2&offset=2&under=UB"},
		{"/api/v1/organisations?as_of=2018-05-31&under=UB&limit=2&offset=2", 4, 2, nil},
	}
	for _, tc := range tests {
		status, body := get(t, srv, tc.path)
		if status != 200 {
			t.Fatalf("%s: %d %v", tc.path, status, body)
		}
		list, _ := body["members"].([]any)
		if list == nil {
			list, _ = body["organisations"].([]any)
		}
		if body["total"] != float64(tc.total) || len(list) != tc.n || body["next"] != tc.next {
			t.Errorf("%s: total %v, %d rows, next %v; want %d, %d, %v", tc.path, body["total"], len(list), body["next"], tc.total, tc.n, tc.next)
		}
	}
}
