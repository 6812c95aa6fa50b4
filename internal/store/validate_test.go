package store

import (
	"testing"

	"dangvu"
)

func TestValidateMember(t *testing.T) {
	ok := dangvu.Member{ID: "M1", FullName: "Nguyễn Văn Đức", Gender: dangvu.Male, BirthDate: "1970-03-15", AdmittedOn: dangvu.MustDate("1995-05-19"), FullOn: dangvu.MustDate("1996-05-19")}
	tests := []struct {
		name   string
		change func(*dangvu.Member)
		field  string // "" when valid
	}{
		{"valid", func(*dangvu.Member) {}, ""},
		{"year only", func(m *dangvu.Member) { m.BirthDate = "1970" }, ""},
		{"no name", func(m *dangvu.Member) { m.FullName = " " }, "full_name"},
		{"no gender", func(m *dangvu.Member) { m.Gender = "" }, "gender"},
		{"impossible date", func(m *dangvu.Member) { m.BirthDate = "1970-02-31" }, "birth_date"},
		// Charter Điều 1: members are admitted as adults; 16 allows for wartime admissions.
		{"a child at admission", func(m *dangvu.Member) { m.BirthDate = "1980" }, "birth_date"},
		{"born after admission", func(m *dangvu.Member) { m.BirthDate = "1996-01-01" }, "birth_date"},
		{"full before admitted", func(m *dangvu.Member) { m.FullOn = dangvu.MustDate("1994-01-01") }, "full_on"},
		{"unknown ethnicity", func(m *dangvu.Member) { m.Ethnicity = "99" }, "ethnicity"},
		{"CCCD with 11 digits", func(m *dangvu.Member) { m.IDNumber = "02207000123" }, "id_number"},
		{"CMND", func(m *dangvu.Member) { m.IDNumber = "123456789" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.change(&m)
			err := ValidateMember(m)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			e, isErr := err.(*dangvu.Error)
			if !isErr || e.Code != dangvu.EInvalid || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("err = %v, want an invalid %s", err, tt.field)
			}
		})
	}
}
