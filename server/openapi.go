package server

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes the /api/v1 routes (OpenAPI 3.1). TestOpenAPI
// checks it against apiRoutes and every answer against its schemas.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the API's OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query()); err != nil {
		badParam(w, err)
		return
	}
	var v any = rawJSON(openAPIDoc)
	writeRead(w, r, v, nil)
}

// rawJSON marshals as itself.
type rawJSON []byte

func (j rawJSON) MarshalJSON() ([]byte, error) { return j, nil }
