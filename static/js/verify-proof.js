// Checks a PAKN proof file in the browser, with nothing but the file and Web
// Crypto (SHA-256, Ed25519): the same checks as docs/verify_proof.py, whose
// docstring and docs/audit.md describe the format. The file never leaves the
// browser. AGPL-3.0-or-later.
"use strict";

(function () {
  const ENTRY_PREFIX = "pakn-history-v3";
  const PARTS = ["step", "actor", "reason", "data"];
  const GENESIS = "0".repeat(64);
  const vi = document.documentElement.lang !== "en";
  const text = {
    valid: vi ? "HỢP LỆ" : "VALID",
    invalid: vi ? "KHÔNG HỢP LỆ" : "INVALID",
    unreadable: vi ? "Không đọc được tệp bằng chứng" : "Unreadable proof file",
    noCrypto: vi
      ? "Trình duyệt này không kiểm tra được chữ ký Ed25519; hãy dùng docs/verify_proof.py"
      : "This browser cannot check Ed25519 signatures; use docs/verify_proof.py",
    internal: vi ? "Bước xử lý nội bộ (không hiển thị cho người gửi)" : "An internal step (not shown to the submitter)",
    notSealed: vi
      ? "Chưa được niêm phong: tải lại tệp sau lần niêm phong hằng ngày tiếp theo"
      : "Not sealed yet: download the file again after the next daily checkpoint",
    sealed: vi
      ? (c, n, t, p) => `Các bước 1–${c} nằm trong điểm kiểm chứng số ${n} lúc ${t} (${p} phản ánh)`
      : (c, n, t, p) => `Entries 1–${c} are in checkpoint #${n} of ${t} (${p} petitions)`,
    later: vi
      ? (a, b) => `Các bước ${a}–${b} được ghi sau: lần niêm phong tiếp theo sẽ bao gồm chúng`
      : (a, b) => `Entries ${a}–${b} came later: the next checkpoint seals them`,
    key: vi ? (k) => `Ký bằng khóa Ed25519 ${k}` : (k) => `Signed with Ed25519 key ${k}`,
    compare: vi
      ? "Hãy so khóa trên với khóa cơ quan đã công bố (hoặc nhập khóa đó vào ô bên trên)."
      : "Compare the key above with the one the agency published (or enter it above).",
    chain: vi ? (n) => `Chuỗi ${n} bước xử lý khớp nhau` : (n) => `The chain of ${n} entries holds`,
  };

  class Invalid extends Error {}

  const encoder = new TextEncoder();

  function hexToBytes(hex) {
    if (typeof hex !== "string" || !/^([0-9a-f]{2})*$/i.test(hex)) {
      throw new Invalid(`not hexadecimal: ${String(hex).slice(0, 20)}`);
    }
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
    return bytes;
  }

  function bytesToHex(bytes) {
    return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }

  async function sha256Hex(string) {
    return bytesToHex(await sha256(encoder.encode(string)));
  }

  function concat(...arrays) {
    const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of arrays) {
      out.set(a, offset);
      offset += a.length;
    }
    return out;
  }

  // A shown part's content: the reason's text is its salt and the reason on two
  // lines, the others' the JSON array [salt, part name, content].
  function readPart(seq, part, partText) {
    if (part === "reason") return partText.slice(partText.indexOf("\n") + 1);
    const [, name, content] = JSON.parse(partText);
    if (name !== part) throw new Invalid(`entry #${seq}: its ${part} is labelled ${name}`);
    return content;
  }

  async function leafHash(petitionId, count, headHex) {
    const record = new Uint8Array(44);
    const view = new DataView(record.buffer);
    view.setBigUint64(0, BigInt(petitionId));
    view.setUint32(8, count);
    record.set(hexToBytes(headHex), 12);
    return sha256(concat(new Uint8Array([0]), record));
  }

  async function fold(node, path) {
    for (const [side, siblingHex] of path) {
      const sibling = hexToBytes(siblingHex);
      if (side === "L") node = await sha256(concat(new Uint8Array([1]), sibling, node));
      else if (side === "R") node = await sha256(concat(new Uint8Array([1]), node, sibling));
      else throw new Invalid(`path step side must be L or R, not ${side}`);
    }
    return node;
  }

  async function verifySignature(publicKeyHex, signatureHex, message) {
    let key;
    try {
      key = await crypto.subtle.importKey("raw", hexToBytes(publicKeyHex), { name: "Ed25519" }, false, ["verify"]);
    } catch (error) {
      throw new Invalid(`${text.noCrypto} (${error.message})`);
    }
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, hexToBytes(signatureHex), encoder.encode(message));
    if (!ok) throw new Invalid("the checkpoint's signature does not verify");
  }

  async function verify(proof, pinnedKey) {
    if (proof.format !== "pakn-proof-v1") throw new Invalid(`unknown format ${proof.format}`);
    const petitionId = proof.petition_id;
    const code = proof.tracking_code;
    const hashes = [];
    const timeline = [];
    let prev = GENESIS;
    for (let i = 0; i < proof.entries.length; i++) {
      const entry = proof.entries[i];
      const seq = entry.seq;
      if (seq !== i + 1) throw new Invalid(`entry #${i + 1} is missing (found #${seq})`);
      const shown = {};
      for (const [part, partText] of Object.entries(entry.shown || {})) {
        if (!PARTS.includes(part) || (await sha256Hex(partText)) !== entry.digests[part]) {
          throw new Invalid(`entry #${seq}: its ${part} was altered`);
        }
        shown[part] = readPart(seq, part, partText);
      }
      const line = [ENTRY_PREFIX, String(petitionId), code, String(seq), prev, ...PARTS.map((p) => entry.digests[p])];
      const computed = await sha256Hex(line.join("\n"));
      if (entry.hash !== undefined && entry.hash !== computed) {
        throw new Invalid(`entry #${seq}: its hash does not match its content`);
      }
      hashes.push(computed);
      prev = computed;
      timeline.push({ seq, shown });
    }
    const sealed = proof.sealed;
    const report = { code, timeline, lines: [text.chain(hashes.length)] };
    if (!sealed) throw new Invalid(text.notSealed, { cause: report });
    const count = sealed.count;
    if (!(count >= 1 && count <= hashes.length) || hashes[count - 1] !== sealed.head) {
      throw new Invalid(`the entries do not end in the sealed head at entry #${count}`);
    }
    const checkpoint = sealed.checkpoint;
    const statement = JSON.parse(checkpoint.statement);
    const root = bytesToHex(await fold(await leafHash(petitionId, count, sealed.head), sealed.path));
    if (root !== statement.root) {
      throw new Invalid("the path does not lead to the checkpoint's root (this petition's history is not the one sealed)");
    }
    if (statement.public_key !== checkpoint.public_key) {
      throw new Invalid("the statement names another public key than the file");
    }
    await verifySignature(checkpoint.public_key, checkpoint.signature, checkpoint.statement);
    if (pinnedKey && pinnedKey.trim().toLowerCase() !== checkpoint.public_key.toLowerCase()) {
      throw new Invalid(`the checkpoint is signed by ${checkpoint.public_key}, not by the key you gave`);
    }
    report.lines.push(text.sealed(count, statement.number, statement.taken_at, statement.petitions));
    report.lines.push(text.key(checkpoint.public_key));
    if (count < hashes.length) report.lines.push(text.later(count + 1, hashes.length));
    if (!pinnedKey) report.lines.push(text.compare);
    return report;
  }

  function describe(item, agencies) {
    const step = item.shown.step;
    if (!step) return `#${item.seq}: ${text.internal}`;
    let line = `#${item.seq}: ${new Date(step.at).toLocaleString(vi ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" })} · ${step.action} → ${step.to}`;
    if (step.agency !== null && step.agency !== undefined) line += ` (${agencies[String(step.agency)] || step.agency})`;
    if (item.shown.reason) line += ` — ${item.shown.reason}`;
    return line;
  }

  function show(form, verdictState, verdictText, lines, timeline, agencies) {
    const result = document.getElementById("proof-result");
    const verdict = document.getElementById("proof-verdict");
    verdict.textContent = verdictText;
    verdict.dataset.state = verdictState;
    verdict.className = `verdict ${verdictState}`;
    const list = document.getElementById("proof-checks");
    list.replaceChildren(...lines.map((l) => Object.assign(document.createElement("li"), { textContent: l })));
    const steps = document.getElementById("proof-timeline");
    steps.replaceChildren(
      ...(timeline || []).map((item) => Object.assign(document.createElement("li"), { textContent: describe(item, agencies || {}) })),
    );
    result.hidden = false;
    verdict.focus();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("proof-form");
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = document.getElementById("proof-file").files[0];
      const pinned = document.getElementById("public-key").value;
      if (!file) return;
      let proof;
      try {
        proof = JSON.parse(await file.text());
      } catch (error) {
        show(form, "invalid", `${text.invalid}: ${text.unreadable}`, [error.message]);
        return;
      }
      try {
        const report = await verify(proof, pinned);
        show(form, "valid", `${text.valid}: ${proof.tracking_code}`, report.lines, report.timeline, proof.agencies);
      } catch (error) {
        const partial = error.cause || {};
        const lines = [...(partial.lines || [])];
        show(form, "invalid", `${text.invalid}: ${error.message}`, lines, partial.timeline, proof.agencies);
      }
    });
  });
})();
