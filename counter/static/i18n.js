// Words of the counter terminal: Bahasa Indonesia first, English switchable (choice kept in localStorage).

const STORE_KEY = "antre.counter.lang";

// key: [Bahasa Indonesia, English]. Templates carry the Indonesian text too, so a page reads right without JS.
const STRINGS = {
  terminal: ["Loket Petugas", "Counter terminal"],
  lang_title: ["Bahasa / Language", "Language / Bahasa"],
  clerk: ["Petugas", "Clerk"],
  logout: ["Keluar", "Log out"],
  login_title: ["Masuk Petugas Loket", "Counter clerk sign-in"],
  username: ["Nama pengguna", "Username"],
  password: ["Kata sandi", "Password"],
  login: ["Masuk", "Sign in"],
  notice_expired: ["Sesi berakhir, silakan masuk lagi.", "Your session has ended, please sign in again."],
  notice_login: ["Silakan masuk untuk membuka loket.", "Please sign in to open a counter."],
  notice_logout: ["Anda sudah keluar. Sampai jumpa!", "You have signed out. See you!"],
  error_credentials: ["Nama pengguna atau kata sandi salah.", "Wrong username or password."],
  error_form_expired: ["Halaman ini sudah kedaluwarsa. Silakan coba masuk lagi.",
    "This page has expired. Please try signing in again."],
  error_missing: ["Isi nama pengguna dan kata sandi.", "Enter your username and password."],
  error_rate: ["Terlalu banyak percobaan masuk. Tunggu sebentar, lalu coba lagi.",
    "Too many sign-in attempts. Wait a moment, then try again."],
  choose_title: ["Pilih loket tempat Anda bertugas", "Choose the counter you work at"],
  no_counters: ["Akun Anda belum ditugaskan di loket mana pun. Hubungi admin.",
    "Your account is not assigned to any counter yet. Ask the admin."],
  problem_title: ["Loket tidak bisa dibuka", "This counter cannot be opened"],
  back_to_choose: ["Kembali ke daftar loket", "Back to the counter list"],
  error_counter_not_assigned: ["Anda tidak ditugaskan di loket ini.", "You are not assigned to this counter."],
  error_unknown_counter: ["Loket ini tidak ada.", "This counter does not exist."],
  switch_counter: ["Ganti loket", "Switch counter"],
  connecting: ["Menghubungkan…", "Connecting…"],
  online: ["Terhubung", "Connected"],
  offline: ["Terputus", "Disconnected"],
  failed: ["Tidak tersambung", "Not connected"],
  stuck_title: ["Belum tersambung ke server", "Not connected to the server yet"],
  stuck_hint: ["Periksa jaringan; proxy harus mengizinkan WebSocket. Halaman terus mencoba sendiri.",
    "Check the network; a proxy must allow WebSockets. The page keeps trying by itself."],
  noscript_title: ["Komponen koneksi (Socket.IO) gagal dimuat", "The connection component (Socket.IO) failed to load"],
  noscript_hint: ["Muat ulang (Ctrl+R); bila tetap, minta admin menjalankan scripts/build-assets.sh.",
    "Reload (Ctrl+R); if it persists, ask the admin to run scripts/build-assets.sh."],
  offline_title: ["Koneksi terputus — menyambung ulang…", "Connection lost — reconnecting…"],
  offline_hint: ["Data di layar adalah keadaan terakhir yang diketahui; tombol dinonaktifkan sampai tersambung lagi.",
    "The screen shows the last known state; buttons are disabled until the connection is back."],
  status_open: ["Buka", "Open"],
  status_paused: ["Istirahat", "On break"],
  status_closed: ["Tutup", "Closed"],
  current_ticket: ["Antrean saat ini", "Current ticket"],
  act_call: ["Panggil", "Call next"],
  act_recall: ["Panggil Ulang", "Recall"],
  act_start: ["Mulai Layani", "Start serving"],
  act_finish: ["Selesai", "Finish"],
  act_skip: ["Lewati", "Skip"],
  act_transfer: ["Alihkan", "Transfer"],
  act_pause: ["Istirahat", "Break"],
  act_close: ["Tutup Loket", "Close counter"],
  act_open: ["Buka Loket", "Open counter"],
  act_finishNext: ["Selesai & Panggil Berikutnya", "Finish & call next"],
  act_reprint: ["Cetak Ulang", "Reprint"],
  today_served: ["Dilayani hari ini", "Served today"],
  today_skipped: ["Terlewat hari ini", "Skipped today"],
  today_avg: ["Rata-rata waktu layanan", "Average service time"],
  minutes_short: ["{n} mnt", "{n} min"],
  waiting_title: ["Antrean menunggu", "Waiting"],
  col_number: ["Nomor", "Number"],
  col_service: ["Layanan", "Service"],
  col_waited: ["Menunggu", "Waited"],
  waiting_empty: ["Tidak ada yang menunggu.", "Nobody is waiting."],
  skipped_title: ["Terlewat hari ini", "Skipped today"],
  skipped_empty: ["Belum ada antrean yang terlewat.", "No skipped tickets yet."],
  skipped_at: ["terlewat {time}", "skipped {time}"],
  unprinted_title: ["Tiket belum tercetak", "Unprinted tickets"],
  unprinted_empty: ["Semua tiket sudah tercetak.", "Every ticket was printed."],
  keys_hint: ["Pintasan: F1 Panggil · F2 Panggil Ulang · F3 Mulai Layani · F4 Selesai · F5 Lewati · F6 Alihkan · " +
    "F7 Istirahat · F8 Tutup · F9 Buka · F10 Selesai & Panggil Berikutnya · Esc tutup dialog",
  "Shortcuts: F1 Call next · F2 Recall · F3 Start serving · F4 Finish · F5 Skip · F6 Transfer · F7 Break · " +
    "F8 Close · F9 Open · F10 Finish & call next · Esc close dialog"],
  transfer_title: ["Alihkan antrean", "Transfer ticket"],
  transfer_hint: ["Pilih layanan tujuan. Nomor antrean tetap sama dan tempatnya di antrean tujuan dihitung dari waktu ambil tiket.",
    "Choose the target service. The ticket keeps its number, and its place in the new line counts from when it was issued."],
  transfer_filter: ["Cari layanan…", "Search services…"],
  transfer_closed: ["tutup", "closed"],
  cancel: ["Batal", "Cancel"],
  idle_open: ["Belum ada antrean dipanggil. Tekan Panggil (F1).", "No ticket called. Press Call next (F1)."],
  idle_paused: ["Loket sedang istirahat. Tekan Buka Loket (F9) untuk memanggil lagi.",
    "The counter is on a break. Press Open counter (F9) to call again."],
  idle_closed: ["Loket tutup. Tekan Buka Loket (F9) untuk mulai memanggil.",
    "The counter is closed. Press Open counter (F9) to start calling."],
  ticket_called: ["dipanggil", "called"],
  ticket_serving: ["sedang dilayani", "being served"],
  since_called: ["Dipanggil {t} yang lalu", "Called {t} ago"],
  since_started: ["Dilayani selama {t}", "Serving for {t}"],
  recalls: ["dipanggil ulang {n}×", "recalled {n}×"],
  msg_called: ["Antrean {number} dipanggil.", "Ticket {number} called."],
  msg_recalled: ["Antrean {number} dipanggil ulang.", "Ticket {number} recalled."],
  msg_started: ["Mulai melayani {number}.", "Serving {number}."],
  msg_finished: ["Antrean {number} selesai dilayani.", "Ticket {number} finished."],
  msg_skipped: ["Antrean {number} dilewati (tidak hadir).", "Ticket {number} skipped (no-show)."],
  msg_finished_called: ["Antrean {done} selesai; {number} dipanggil.", "Ticket {done} finished; {number} called."],
  msg_finished_nobody: ["Antrean {number} selesai. Tidak ada antrean yang menunggu.",
    "Ticket {number} finished. Nobody is waiting."],
  msg_transferred: ["Antrean {number} dialihkan ke {service}.", "Ticket {number} transferred to {service}."],
  msg_open: ["Loket dibuka.", "Counter opened."],
  msg_paused: ["Loket istirahat: tidak menerima panggilan.", "Counter on a break: no calls."],
  msg_closed: ["Loket ditutup.", "Counter closed."],
  msg_reprint: ["Permintaan cetak ulang {number} dikirim ke kios.", "Reprint of {number} sent to the kiosk."],
  msg_nobody: ["Tidak ada antrean yang menunggu.", "Nobody is waiting."],
  msg_network: ["Server tidak terjangkau. Coba lagi setelah tersambung.", "The server cannot be reached. Try again once connected."],
  msg_forbidden: ["Anda tidak ditugaskan di loket ini.", "You are not assigned to this counter."],
  err_counter_busy: ["Selesaikan atau lewati antrean saat ini dulu.", "Finish or skip the current ticket first."],
  err_no_current_ticket: ["Tidak ada antrean yang sedang dipanggil di loket ini.", "No ticket is called at this counter."],
  err_illegal_transition: ["Tindakan ini tidak berlaku untuk status antrean sekarang.", "This action does not apply to the ticket's current state."],
  err_unknown_ticket: ["Antrean tidak ditemukan hari ini.", "Ticket not found today."],
  err_same_service: ["Antrean sudah berada di layanan ini.", "The ticket is already in this service."],
  appts_title: ["Janji Temu Hari Ini", "Today's appointments"],
  appts_code_label: ["Kode booking", "Booking code"],
  appts_code_placeholder: ["Ketik/pindai kode", "Type/scan a code"],
  appts_checkin: ["Lapor Hadir", "Check in"],
  appts_empty: ["Belum ada janji temu hari ini.", "No appointments today."],
  appts_code_missing: ["Ketik atau pindai kode booking dulu.", "Type or scan a booking code first."],
  appts_done: ["Lapor hadir berhasil: nomor antrean {number}", "Checked in: ticket number {number}"],
  appt_booked: ["terjadwal", "scheduled"],
  appt_checked_in: ["sudah hadir", "checked in"],
  appt_expired: ["tidak hadir", "no-show"],
  appt_cancelled: ["dibatalkan", "cancelled"],
  err_no_kiosk: ["Tiket ini tidak diambil dari kios, tidak bisa dicetak ulang.", "This ticket was not issued by a kiosk; it cannot be reprinted."],
};

// Priority labels (prio_<code>) are the server's, from its one table: the working page's boot config carries
// them as `priorities`, the same list as GET /api/v1/priorities. A code missing there is shown as it is.
function priorityStrings() {
  const node = document.getElementById("counter-config");
  try {
    const items = (node && JSON.parse(node.textContent).priorities) || [];
    return Object.fromEntries(items.map((p) => [`prio_${p.code}`, [p.label, p.label_en || p.label]]));
  } catch {
    return {};
  }
}
Object.assign(STRINGS, priorityStrings());

export function lang() {
  try {
    return localStorage.getItem(STORE_KEY) === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}

/** The text of `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const pair = STRINGS[key];
  const text = pair ? pair[lang() === "en" ? 1 : 0] : key.replace(/^prio_/, "");
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function has(key) {
  return key in STRINGS;
}

function swap(el, attr, key) {
  const stash = `i18nOrig${attr}`;
  if (!(stash in el.dataset)) el.dataset[stash] = attr === "text" ? el.textContent : el.getAttribute(attr) || "";
  const value = lang() === "en" && STRINGS[key] ? STRINGS[key][1] : el.dataset[stash];
  if (attr === "text") el.textContent = value;
  else el.setAttribute(attr, value);
}

/** Put every marked element of `root` in the current language (the Indonesian text is kept to switch back). */
export function applyLang(root = document) {
  document.documentElement.lang = lang();
  root.querySelectorAll("[data-i18n]").forEach((el) => swap(el, "text", el.dataset.i18n));
  root.querySelectorAll("[data-i18n-title]").forEach((el) => swap(el, "title", el.dataset.i18nTitle));
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => swap(el, "placeholder", el.dataset.i18nPlaceholder));
  const toggle = document.getElementById("lang-toggle");
  if (toggle) toggle.textContent = lang() === "en" ? "ID" : "EN";
}

/** Wire the ID/EN button; `onChange` redraws what the page renders itself. */
export function initLang(onChange = () => {}) {
  applyLang();
  const toggle = document.getElementById("lang-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    try {
      localStorage.setItem(STORE_KEY, lang() === "en" ? "id" : "en");
    } catch {
      /* private mode without storage: stays in Bahasa Indonesia */
    }
    applyLang();
    onChange();
  });
}
