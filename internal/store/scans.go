package store

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"dangvu"
	"dangvu/internal/vn"
)

// The scans of member files (docs/member-files.md, docs/security.md): a PDF or an image, its
// kind sniffed from its bytes (never from its name), at most MaxScanBytes, stored as a file of
// the scan folder encrypted with AES-256-GCM under a subkey of the key file (key.go) — the key
// lives outside the database, so neither a copy of the database nor of the folder holds a
// readable scan. The file is bound to its document (the additional data names the file, which
// one document names, and the plain scan's SHA-256), so a file swapped between documents does
// not open. Every read of a scan is audited.

// MaxScanBytes bounds a scan: 20 MiB, a few hundred pages scanned at 200 dpi in greyscale.
const MaxScanBytes = 20 << 20

// ScanDirEnv names the environment variable that may give the scan folder.
const ScanDirEnv = "DANGVU_SCAN_DIR"

// scanMagic starts an encrypted scan file, followed by the key's id, a dot, the nonce and the
// ciphertext.
const scanMagic = "DANGVU-SCAN-1."

// ScanKinds are the content types a scan may have, with the extension its file takes.
var ScanKinds = map[string]string{"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

// ScanDir is the folder of the encrypted scans: Options.ScanDir, else $DANGVU_SCAN_DIR, else
// "attachments" beside a SQLite database; "" for PostgreSQL without one.
func (s *Store) ScanDir() string {
	if s.scanDir != "" {
		return s.scanDir
	}
	if p := os.Getenv(ScanDirEnv); p != "" {
		return p
	}
	if s.pg || s.path == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(s.path), "attachments")
}

func scanAAD(docID, sum string) []byte { return []byte("dangvu scan|" + docID + "|" + sum) }

// sniffScan names a scan's content type, or refuses it naming the field.
func sniffScan(content []byte) (string, error) {
	msg := "Không ghi được bản quét."
	if len(content) == 0 {
		return "", filesInvalid(msg, fe("scan", "tệp quét rỗng"))
	}
	if len(content) > MaxScanBytes {
		return "", filesInvalid(msg, fe("scan", "tệp quét %s byte, quá giới hạn %s byte (20 MiB): quét lại ở độ phân giải thấp hơn hoặc tách tệp",
			vn.FormatInt(int64(len(content))), vn.FormatInt(MaxScanBytes)))
	}
	ct := http.DetectContentType(content)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if _, ok := ScanKinds[ct]; !ok {
		return "", filesInvalid(msg, fe("scan", "tệp không phải PDF hay ảnh (JPEG, PNG) mà là %s: chỉ nhận bản quét PDF hoặc ảnh", ct))
	}
	return ct, nil
}

func (s *Store) scanGCM(k secretKey) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.scan)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealScan encrypts a scan for its document.
func (s *Store) sealScan(docID, sum string, plain []byte) ([]byte, error) {
	k := s.keys.current()
	gcm, err := s.scanGCM(k)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte(scanMagic+k.id+"."), nonce...)
	return gcm.Seal(out, nonce, plain, scanAAD(docID, sum)), nil
}

// openScan decrypts a scan file of a document and checks it against its SHA-256.
func (s *Store) openScan(docID, sum string, sealed []byte) ([]byte, error) {
	rest, ok := bytes.CutPrefix(sealed, []byte(scanMagic))
	i := bytes.IndexByte(rest, '.')
	if !ok || i < 0 {
		return nil, dangvu.Errorf(dangvu.EInternal, "tệp quét của tài liệu %s không phải tệp đã mã hóa của dangvu", docID)
	}
	k, found := s.keys.byID(string(rest[:i]))
	if !found {
		return nil, dangvu.Errorf(dangvu.EInternal, "tệp quét của tài liệu %s được mã hóa bằng khóa %s không có trong tệp khóa %s", docID, rest[:i], s.keys.path)
	}
	gcm, err := s.scanGCM(k)
	if err != nil {
		return nil, err
	}
	ct := rest[i+1:]
	if len(ct) < gcm.NonceSize() {
		return nil, dangvu.Errorf(dangvu.EInternal, "tệp quét của tài liệu %s bị cắt cụt", docID)
	}
	plain, err := gcm.Open(nil, ct[:gcm.NonceSize()], ct[gcm.NonceSize():], scanAAD(docID, sum))
	if err != nil {
		return nil, dangvu.Errorf(dangvu.EInternal, "tệp quét của tài liệu %s không giải mã được (bị sửa, đổi chỗ, hoặc sai tệp khóa)", docID)
	}
	if fmt.Sprintf("%x", sha256.Sum256(plain)) != sum {
		return nil, dangvu.Errorf(dangvu.EInternal, "tệp quét của tài liệu %s không khớp mã SHA-256 đã ghi", docID)
	}
	return plain, nil
}

// SaveScan records a document of a member's file with its scan: the scan is checked (a PDF or
// an image by its bytes, at most MaxScanBytes), encrypted into the scan folder, and the
// document recorded with the file's name and the plain scan's SHA-256, in one audited write. A
// refused scan writes nothing.
func (s *Store) SaveScan(ctx context.Context, actor string, d dangvu.FileDocument, content []byte) (dangvu.FileDocument, error) {
	ct, err := sniffScan(content)
	if err != nil {
		return d, err
	}
	dir := s.ScanDir()
	if dir == "" {
		return d, filesInvalid("Không ghi được bản quét.", fe("scan", "chưa chỉ ra thư mục lưu bản quét (--scan-dir hoặc biến môi trường %s)", ScanDirEnv))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return d, fmt.Errorf("store: scan folder: %w", err)
	}
	sum := sha256.Sum256(content)
	d.SHA256 = hex.EncodeToString(sum[:])
	var nonce [6]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return d, err
	}
	// The file's name is chosen before the document's id: a random name, the kind's extension
	// after ".scan" so that the folder says what each file will open as.
	d.Attachment = fmt.Sprintf("scan-%s-%x.%s.scan", strings.ToLower(d.MemberID), nonce, ScanKinds[ct])
	if !attachmentName.MatchString(d.Attachment) {
		d.Attachment = fmt.Sprintf("scan-%x.%s.scan", nonce, ScanKinds[ct])
	}
	path := filepath.Join(dir, d.Attachment)
	// The id is known only once the document is recorded: the scan is bound to its file name,
	// which the document names and no other shares.
	sealed, err := s.sealScan(d.Attachment, d.SHA256, content)
	if err != nil {
		return d, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return d, fmt.Errorf("store: scan: %w", err)
	}
	if _, err := f.Write(sealed); err != nil {
		f.Close()
		os.Remove(path)
		return d, fmt.Errorf("store: scan: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return d, fmt.Errorf("store: scan: %w", err)
	}
	out, err := s.SaveFileDocument(ctx, actor, d)
	if err != nil {
		os.Remove(path)
		return d, err
	}
	return out, nil
}

// Scan is a document's decrypted scan.
type Scan struct {
	Document    dangvu.FileDocument
	ContentType string
	Content     []byte
}

// fileDocument reads one document of a file.
func (s *Store) fileDocument(ctx context.Context, id string) (dangvu.FileDocument, error) {
	d := dangvu.FileDocument{ID: id}
	err := s.read.QueryRowContext(ctx, `SELECT member_id, type_no, date, title, attachment, sha256, pages, added_on, note FROM file_documents WHERE id = ?`, id).
		Scan(&d.MemberID, &d.TypeNo, &d.Date, &d.Title, &d.Attachment, &d.SHA256, &d.Pages, &d.AddedOn, &d.Note)
	if err != nil {
		return d, dangvu.Errorf(dangvu.ENotFound, "không có tài liệu hồ sơ mã %q", id)
	}
	return d, nil
}

// FileDocumentMember is the member whose file holds a document (for a page's scope check).
func (s *Store) FileDocumentMember(ctx context.Context, id string) (string, error) {
	d, err := s.fileDocument(ctx, id)
	return d.MemberID, err
}

// readScan decrypts a document's scan without auditing (the package writer audits once).
func (s *Store) readScan(d dangvu.FileDocument) ([]byte, error) {
	if d.Attachment == "" {
		return nil, dangvu.Errorf(dangvu.ENotFound, "tài liệu %s chưa có bản quét (chỉ có bản giấy)", d.ID)
	}
	dir := s.ScanDir()
	if dir == "" || !attachmentName.MatchString(d.Attachment) {
		return nil, dangvu.Errorf(dangvu.ENotFound, "không tìm thấy bản quét của tài liệu %s", d.ID)
	}
	sealed, err := os.ReadFile(filepath.Join(dir, d.Attachment))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, dangvu.Errorf(dangvu.ENotFound, "không tìm thấy tệp quét %s của tài liệu %s trong thư mục %s", d.Attachment, d.ID, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("store: scan: %w", err)
	}
	return s.openScan(d.Attachment, d.SHA256, sealed)
}

// OpenScan decrypts a document's scan for a reader and audits the read (who, which document of
// whose file): every download of a scan is in the audit log.
func (s *Store) OpenScan(ctx context.Context, actor, id string) (Scan, error) {
	d, err := s.fileDocument(ctx, id)
	if err != nil {
		return Scan{}, err
	}
	plain, err := s.readScan(d)
	if err != nil {
		return Scan{}, err
	}
	ct := http.DetectContentType(plain)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	err = s.tx(ctx, func(tx *dbTx) error {
		return s.audit(ctx, tx, actor, "download", "file_document", id, nil, map[string]any{"member_id": d.MemberID, "type_no": d.TypeNo, "sha256": d.SHA256})
	})
	if err != nil {
		return Scan{}, err
	}
	return Scan{Document: d, ContentType: ct, Content: plain}, nil
}

// AuditFilesPackage records that a reader took the 1361 package of a subtree (with the scans it
// holds decrypted): one audit entry for the package, as a download is for one scan.
func (s *Store) AuditFilesPackage(ctx context.Context, actor, orgID, day string, res PackageResult) error {
	return s.tx(ctx, func(tx *dbTx) error {
		return s.audit(ctx, tx, actor, "download", "files_package", orgID, nil, map[string]any{"as_of": day, "members": res.Members, "documents": res.Documents, "scans": res.Scans})
	})
}
