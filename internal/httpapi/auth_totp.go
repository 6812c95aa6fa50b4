package httpapi

// totpRoutes lists the second-factor and sensitive-data routes.
func totpRoutes() []route { return nil }
