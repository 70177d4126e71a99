package ingest

import (
	"net/url"
	"path/filepath"
	"strings"
)

// ShownSource returns a snapshot's Source as people may see it. A sync
// stores the data URLs, which stay as they are (without any user name or
// password in them); an import stores the file's absolute path, of which
// only the file name is shown: the folders it came from belong to the
// machine that imported it, not to the readers of a web page or an API.
func ShownSource(src string) string {
	fields := strings.Fields(src)
	if len(fields) == 0 {
		return ""
	}
	urls := make([]string, len(fields))
	for i, f := range fields {
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return filepath.Base(src)
		}
		u.User = nil
		urls[i] = u.String()
	}
	return strings.Join(urls, " ")
}
