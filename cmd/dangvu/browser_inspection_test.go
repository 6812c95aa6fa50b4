package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDiscipline is issue 7's story as the city inspection commission's staff: a decision
// to expel a probationary member is refused, saying why and citing the rule; the same decision as a
// warning is recorded and shown with its appeal deadline; the standing committee reads it.
func TestBrowserDiscipline(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser and loads the demo data set")
	}
	if chrome, reason := findChrome(); chrome == "" {
		t.Skip(reason)
	}
	base := startDemoServer(t)
	// A member who was probationary under the city on 01/03/2018.
	var page struct {
		Members []struct {
			ID string `json:"id"`
		} `json:"members"`
	}
	fetchJSON(t, loginClient(t, base, "ub.kiemtra", "demo-ub-kiemtra"),
		base+"/api/v1/members?"+url.Values{"org": {"UB"}, "status": {"probationary"}, "as_of": {"2018-03-01"}, "limit": {"1"}}.Encode(), &page)
	if len(page.Members) == 0 {
		t.Fatal("no probationary member under the city on 01/03/2018")
	}
	member := page.Members[0].ID

	b := newBrowser(t, base)
	b.do("log in as the commission's staff", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, "ub.kiemtra"), chromedp.SendKeys(`#password`, "demo-ub-kiemtra"),
		chromedp.Click(`form[action="/login"] button[type=submit]`), chromedp.WaitVisible(`nav.main`))
	b.do("the discipline register of 2018", chromedp.Navigate(base+"/disciplines?org=UB&from=01%2F01%2F2018&to=31%2F05%2F2018"),
		chromedp.WaitVisible(`form.insp-form #f-member_id`))
	fill := func(form string) {
		b.do("fill the decision ("+form+")",
			chromedp.SetValue(`#f-member_id`, member),
			chromedp.SetValue(`#f-form`, form),
			chromedp.SetValue(`#f-authority_org_id`, "UB"),
			chromedp.SetValue(`#f-authority_body`, "inspection_commission"),
			chromedp.SetValue(`#f-violation_on`, "10/01/2018"),
			chromedp.SetValue(`#f-decided_on`, "01/03/2018"),
			chromedp.SetValue(`#f-number`, "Số 15-QĐ/UBKTTU"),
			chromedp.SetValue(`#f-reason`, "Vi phạm quy định về những điều đảng viên không được làm"),
			chromedp.Click(`form.insp-form[action="/disciplines"] button[type=submit]`))
	}
	fill("expulsion")
	b.do("refused", chromedp.WaitVisible(`.field.invalid #f-form, ul.errors`))
	refusal := b.text("refusal", `main`)
	if !strings.Contains(refusal, "dự bị") {
		t.Errorf("the refusal does not say the member is probationary:\n%.1500s", refusal)
	}
	b.screenshot("discipline-01-refused")
	fill("warning")
	u := b.waitURL("the decision's page", "/disciplines/{id}", func(u *url.URL) bool {
		return strings.HasPrefix(u.Path, "/disciplines/") && len(u.Path) > len("/disciplines/")
	})
	b.do("the decision", chromedp.WaitVisible(`main h1`))
	if d := b.text("decision", `main`); !strings.Contains(d, "Số 15-QĐ/UBKTTU") || !strings.Contains(d, member) && !strings.Contains(d, "Cảnh cáo") {
		t.Errorf("the decision page does not show the decision:\n%.1000s", d)
	}
	b.screenshot("discipline-02-recorded")
	// The standing committee reads it but has no form to record one.
	c := loginClient(t, base, "ub.thuongvu", "demo-ub-thuongvu")
	body := get(t, c, base+u.Path)
	if !strings.Contains(body, "Số 15-QĐ/UBKTTU") {
		t.Error("the standing committee cannot read the decision")
	}
	if strings.Contains(get(t, c, base+"/disciplines?org=UB&to=31%2F05%2F2018"), `<form method="post" action="/disciplines"`) {
		t.Error("the standing committee is offered the form to record a decision")
	}
}
