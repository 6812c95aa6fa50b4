package store

import (
	"context"
	"testing"
	"time"

	"dangvu"
)

// BenchmarkMeetingsNational times the meeting pages of a ward office on a generated set
// (DANGVU_BENCH_SET, loaded by BenchmarkImport or `dangvu import --db $DIR/bench.db $DIR`): the
// ward's month (its cells, their meetings, the members with two unexcused absences), the ward's
// attention items (the month and the three-month rule), the review list of the month, and a
// cell's register of a year (docs/benchmarks.md, "Cell meetings at national scale").
func BenchmarkMeetingsNational(b *testing.B) {
	ctx := context.Background()
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, engine := range benchEngines() {
		s, ward, cell := openBenchWard(b, engine, day)
		timed(b, engine+"/ward-month", func() int {
			cs, err := s.WardMonth(ctx, ward.ID, "2026-10")
			if err != nil {
				b.Fatal(err)
			}
			return len(cs)
		}, 1)
		timed(b, engine+"/attention-ward", func() int {
			items, err := meetingAttention(ctx, s, ward, dangvu.ISO(day), AttentionSoon)
			if err != nil {
				b.Fatal(err)
			}
			return len(items)
		}, 1)
		timed(b, engine+"/ward-meetings-month", func() int {
			ms, err := s.Meetings(ctx, MeetingFilter{Under: ward.ID, From: "2026-10", To: "2026-10"})
			if err != nil {
				b.Fatal(err)
			}
			return len(ms)
		}, 1)
		timed(b, engine+"/cell-register-year", func() int {
			ms, err := s.Meetings(ctx, MeetingFilter{Under: cell, From: "2025-12", To: "2026-11"})
			if err != nil {
				b.Fatal(err)
			}
			return len(ms)
		}, 1)
	}
}
