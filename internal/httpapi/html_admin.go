package httpapi

// adminRoutes lists the administration pages: users, import and export.
func adminRoutes() []route { return nil }
