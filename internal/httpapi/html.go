package httpapi

// pageRoutes lists the HTML pages (Vietnamese, server-rendered).
func pageRoutes() []route { return nil }
