package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"dangvu"
	"dangvu/internal/store"
)

// stdin is where passwords are read from; tests replace it.
var stdin io.Reader = os.Stdin

const userUsage = `Cách dùng: dangvu user <lệnh> [tùy chọn]

Quản lý tài khoản đăng nhập:
  add      tạo tài khoản (--db, --username, --role, --org, --member, --name); mật khẩu đọc từ đầu vào chuẩn
  passwd   đặt lại mật khẩu (--db, --username); mật khẩu mới đọc từ đầu vào chuẩn
  disable  khóa tài khoản, kết thúc mọi phiên và mã truy cập (--db, --username)
  move     chuyển tài khoản sang tổ chức khác, ví dụ tổ chức kế thừa khi tổ chức cũ đã kết thúc
           sau sắp xếp (--db, --username, --org mã hoặc tên tổ chức đang hoạt động)
  list     liệt kê tài khoản (--db)
  token    tạo mã truy cập API cho một tài khoản (--db, --username, --name); mã chỉ in ra một lần
  totp     bật xác thực hai bước (--db, --username): in khóa bí mật và địa chỉ otpauth:// một lần;
           --off để tắt

Vai trò (--role): admin, leadership, staff_org, staff_inspection, staff_office, secretary, member
`

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, userUsage)
		return errHelp(args)
	}
	sub := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"add": cmdUserAdd, "passwd": cmdUserPasswd, "move": cmdUserMove, "disable": cmdUserDisable, "list": cmdUserList, "token": cmdUserToken, "totp": cmdUserTOTP,
	}[args[0]]
	if sub == nil {
		fmt.Fprint(stderr, userUsage)
		return dangvu.Errorf(dangvu.EInvalid, "không có lệnh user %q", args[0])
	}
	return sub(ctx, args[1:], stdout, stderr)
}

func errHelp(args []string) error {
	if len(args) == 0 {
		return dangvu.Errorf(dangvu.EInvalid, "thiếu lệnh con của user")
	}
	return nil
}

// readPassword reads one line from standard input (a pipe, or typed at the terminal).
func readPassword(stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(stderr, prompt)
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", dangvu.Errorf(dangvu.EInvalid, "chưa nhập mật khẩu (đọc từ đầu vào chuẩn)")
	}
	return line, nil
}

func cmdUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user add", "user add --username TÊN --role VAI_TRÒ [--org MÃ_TỔ_CHỨC] [--member MÃ_ĐẢNG_VIÊN] [--name HỌ_TÊN] [--db DB] < mật_khẩu", stderr)
	username := fs.String("username", "", "tên đăng nhập (chữ thường không dấu, số, dấu chấm, gạch)")
	role := fs.String("role", "", "vai trò: admin, leadership, staff_org, staff_inspection, staff_office, secretary, member")
	org := fs.String("org", "", "mã tổ chức đảng gốc của phạm vi được xem (bỏ trống: toàn hệ thống, chỉ cho admin)")
	member := fs.String("member", "", "mã đảng viên của chính người dùng (bắt buộc với vai trò member)")
	name := fs.String("name", "", "họ và tên")
	fs.Bool("password-stdin", true, "đọc mật khẩu từ đầu vào chuẩn (luôn bật)")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		password, err := readPassword(stderr, "Mật khẩu: ")
		if err != nil {
			return err
		}
		u, err := s.CreateUser(ctx, currentUser(), dangvu.User{Username: *username, FullName: *name, UserRole: dangvu.UserRole(*role), OrgID: *org, MemberID: *member}, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã tạo tài khoản %s (%s, phạm vi %s)\n", u.Username, roleName(u.UserRole), scopeName(u))
		return nil
	})
}

func cmdUserPasswd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user passwd", "user passwd --username TÊN [--db DB] < mật_khẩu_mới", stderr)
	username := fs.String("username", "", "tên đăng nhập")
	fs.Bool("password-stdin", true, "đọc mật khẩu từ đầu vào chuẩn (luôn bật)")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		password, err := readPassword(stderr, "Mật khẩu mới: ")
		if err != nil {
			return err
		}
		if err := s.SetPassword(ctx, currentUser(), *username, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã đổi mật khẩu của %s; các phiên đăng nhập cũ đã kết thúc\n", *username)
		return nil
	})
}

func cmdUserMove(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user move", "user move --username TÊN --org MÃ_HOẶC_TÊN_TỔ_CHỨC [--db DB]", stderr)
	username := fs.String("username", "", "tên đăng nhập")
	org := fs.String("org", "", "mã hoặc tên tổ chức đảng mới (đang hoạt động hôm nay)")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		if strings.TrimSpace(*org) == "" {
			return dangvu.Errorf(dangvu.EInvalid, "thiếu --org: mã hoặc tên tổ chức mới")
		}
		today := s.Clock.Today()
		o, err := s.ResolveOrg(ctx, *org, today)
		if err != nil {
			return err
		}
		u, err := s.MoveUser(ctx, currentUser(), *username, o.ID, today)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã chuyển tài khoản %s sang %s (%s)\n", u.Username, o.Name, o.ID)
		return nil
	})
}

func cmdUserDisable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user disable", "user disable --username TÊN [--db DB]", stderr)
	username := fs.String("username", "", "tên đăng nhập")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		if err := s.DisableUser(ctx, currentUser(), *username); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã khóa tài khoản %s\n", *username)
		return nil
	})
}

func cmdUserList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user list", "user list [--db DB]", stderr)
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		users, err := s.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TÊN ĐĂNG NHẬP\tHỌ TÊN\tVAI TRÒ\tPHẠM VI\tTRẠNG THÁI")
		for _, u := range users {
			state := "hoạt động"
			if u.Disabled {
				state = "đã khóa"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.FullName, roleName(u.UserRole), scopeName(u), state)
		}
		return tw.Flush()
	})
}

func cmdUserToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user token", "user token --username TÊN --name TÊN_MÃ [--db DB]", stderr)
	username := fs.String("username", "", "tên đăng nhập")
	name := fs.String("name", "", "tên gợi nhớ của mã truy cập")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		tok, err := s.CreateAPIToken(ctx, currentUser(), *username, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "Mã truy cập API (chỉ hiện một lần; gửi trong tiêu đề Authorization: Bearer …):")
		fmt.Fprintln(stdout, tok)
		return nil
	})
}

func cmdUserTOTP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user totp", "user totp --username TÊN [--off] [--db DB]", stderr)
	username := fs.String("username", "", "tên đăng nhập")
	off := fs.Bool("off", false, "tắt xác thực hai bước")
	return dbCommand(ctx, fs, args, func(s *store.Store) error {
		if *off {
			if err := s.DisableTOTP(ctx, currentUser(), *username); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Đã tắt xác thực hai bước của %s\n", *username)
			return nil
		}
		secret, uri, err := s.EnableTOTP(ctx, currentUser(), *username)
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "Khóa bí mật (chỉ hiện một lần; nhập vào ứng dụng xác thực, hoặc tạo mã QR từ địa chỉ otpauth://):")
		fmt.Fprintf(stdout, "%s\n%s\n", secret, uri)
		return nil
	})
}

func roleName(r dangvu.UserRole) string {
	for _, c := range dangvu.UserRoles {
		if c.Code == r {
			return c.Name
		}
	}
	return string(r)
}

func scopeName(u dangvu.User) string {
	switch {
	case u.UserRole == dangvu.UserMember:
		return "hồ sơ của mình (" + u.MemberID + ")"
	case u.OrgID == "":
		return "toàn hệ thống"
	}
	return u.OrgID
}

// demoUsers are the accounts made with the demo data set; their passwords are fixed and public.
var demoUsers = []struct {
	user     dangvu.User
	password string
}{
	{dangvu.User{Username: "admin", FullName: "Quản trị hệ thống (mẫu)", UserRole: dangvu.UserAdmin}, "demo-admin"},
	{dangvu.User{Username: "ub.tochuc", FullName: "Cán bộ Ban Tổ chức Thành ủy Uông Bí (mẫu)", UserRole: dangvu.UserStaffOrg, OrgID: "UB"}, "demo-ub-tochuc"},
	{dangvu.User{Username: "ub.vanphong", FullName: "Cán bộ Văn phòng Thành ủy Uông Bí (mẫu)", UserRole: dangvu.UserStaffOffice, OrgID: "UB"}, "demo-ub-vanphong"},
	{dangvu.User{Username: "ub.kiemtra", FullName: "Cán bộ Ủy ban Kiểm tra Thành ủy Uông Bí (mẫu)", UserRole: dangvu.UserStaffInspection, OrgID: "UB"}, "demo-ub-kiemtra"},
	{dangvu.User{Username: "ub.thuongvu", FullName: "Ủy viên Ban Thường vụ Thành ủy Uông Bí (mẫu)", UserRole: dangvu.UserLeadership, OrgID: "UB"}, "demo-ub-thuongvu"},
	{dangvu.User{Username: "pd.bithu", FullName: "Bí thư Đảng ủy phường Phương Đông (mẫu)", UserRole: dangvu.UserSecretary, OrgID: "UB-PD"}, "demo-pd-bithu"},
	// A member's own account: the first full member of a cell of Yên Tử ward today (set below).
	{dangvu.User{Username: "yentu.dangvien", FullName: "Đảng viên Chi bộ Cơ quan chính quyền phường Yên Tử (mẫu)", UserRole: dangvu.UserMember, OrgID: "QN-YENTU-CQCQ"}, "demo-yentu-dangvien"},
	{dangvu.User{Username: "yentu.bithu", FullName: "Bí thư Đảng ủy phường Yên Tử (mẫu, từ 01/7/2025)", UserRole: dangvu.UserSecretary, OrgID: "QN-YENTU"}, "demo-yentu-bithu"},
}

// createDemoUsers makes the demo accounts and prints them with their (public) passwords.
func createDemoUsers(ctx context.Context, s *store.Store, stdout io.Writer) error {
	fmt.Fprintln(stdout, "Tài khoản mẫu — MẬT KHẨU CỐ ĐỊNH, CHỈ DÙNG ĐỂ DÙNG THỬ, KHÔNG DÙNG CHO DỮ LIỆU THẬT:")
	for _, d := range demoUsers {
		u, err := s.UserByUsername(ctx, d.user.Username)
		note := ""
		if dangvu.ErrorCode(err) == dangvu.ENotFound {
			if d.user.UserRole == dangvu.UserMember && d.user.MemberID == "" {
				page, err := s.Members(ctx, dangvu.MemberFilter{AsOf: s.Clock.Today(), Under: d.user.OrgID, Status: []dangvu.Status{dangvu.StatusFull}, Limit: 1})
				if err != nil || len(page.Members) == 0 {
					continue // no such member in this data set
				}
				d.user.MemberID, d.user.FullName = page.Members[0].ID, page.Members[0].FullName
			}
			u, err = s.CreateUser(ctx, "dangvu demo", d.user, d.password)
		} else if err == nil {
			note = " (đã có)"
		}
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprintf(stdout, "  %-15s mật khẩu %-20s %s, phạm vi %s%s\n", u.Username, d.password, roleName(u.UserRole), scopeName(u), note)
	}
	return nil
}
