package store

import "dangvu"

// The secrecy rule of documents is dangvu.Secrecy.ReadableBy (Readable for a reader known by
// the right): the document page, every list, report, attention item, study record and export
// apply it. docReadableSQL is the same rule in SQL; both are tested route by route
// (httpapi's TestSecretDocumentsInLists and TestExportMatrix).

// docReadableSQL is the condition that a row of documents (alias) is readable by a reader who
// may (secret) or may not read secret documents.
func docReadableSQL(alias string, secret bool) string {
	if secret {
		return "1 = 1"
	}
	return alias + ".secrecy IN ('', '" + string(dangvu.SecrecyNone) + "')"
}

// shownNumber is a document's number as a reader may see it: dangvu.SecretMark in its place
// when the reader may not read the document.
func shownNumber(number string, level dangvu.Secrecy, secret bool) string {
	if level.Readable(secret) {
		return number
	}
	return dangvu.SecretMark
}
