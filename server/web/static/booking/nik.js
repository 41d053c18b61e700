// Soft NIK checks while typing (the server checks again): 16 digits, region, birth date (+40 for women), serial.
(function () {
  "use strict";
  var input = document.getElementById("nik"), out = document.getElementById("nik-warn");
  if (!input || !out) return;
  var en = document.documentElement.lang === "en";
  var PROV = [11,12,13,14,15,16,17,18,19,21,31,32,33,34,35,36,51,52,53,61,62,63,64,65,71,72,73,74,75,76,81,82,
              91,92,93,94,95,96];
  var MSG = en ? {len: "The NIK has 16 digits (now: {n}).", region: "The region code (first 6 digits) looks unknown.",
                  birth: "The birth date (digits 7-12) looks invalid.", serial: "The last 4 digits cannot be 0000."}
               : {len: "NIK terdiri dari 16 angka (sekarang: {n}).", region: "Kode wilayah (6 angka pertama) tidak dikenal.",
                  birth: "Tanggal lahir (angka ke-7 s.d. 12) tidak valid.", serial: "4 angka terakhir tidak boleh 0000."};
  function check(nik) {
    if (!/^\d{16}$/.test(nik)) return [MSG.len.replace("{n}", nik.replace(/\D/g, "").length)];
    var out = [], day = +nik.slice(6, 8), month = +nik.slice(8, 10), yy = +nik.slice(10, 12);
    if (PROV.indexOf(+nik.slice(0, 2)) < 0 || nik.slice(2, 4) === "00" || nik.slice(4, 6) === "00") out.push(MSG.region);
    if (day > 40) day -= 40;
    var now = new Date(), year = (2000 + yy <= now.getFullYear() ? 2000 : 1900) + yy;
    var born = new Date(year, month - 1, day);
    if (born.getMonth() !== month - 1 || born.getDate() !== day || born > now) out.push(MSG.birth);
    if (nik.slice(12) === "0000") out.push(MSG.serial);
    return out;
  }
  input.addEventListener("input", function () {
    var nik = input.value.replace(/[\s.\-]/g, "");
    out.textContent = nik.length === 0 ? "" : check(nik).join(" ");
  });
})();
