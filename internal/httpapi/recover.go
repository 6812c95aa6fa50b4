package httpapi

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"dangvu"
)

// recoverPanic, deferred by guard, answers a request whose handler panicked with a plain internal
// error (page or JSON) and logs the stack, instead of net/http's dropped connection. The store
// has already rolled back the request's transaction on its way up (Store.tx, Import), so the
// writer is free for the next request.
func (s *Server) recoverPanic(w http.ResponseWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	if s.Logger != nil {
		s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	}
	err := dangvu.Errorf(dangvu.EInternal, "Lỗi hệ thống; không có thay đổi nào được ghi. Vui lòng báo cho quản trị viên.")
	if isAPI(r) {
		s.writeError(w, r, err)
		return
	}
	s.renderError(w, r, err)
}
