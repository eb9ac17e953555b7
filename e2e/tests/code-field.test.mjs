// The code field as a shopper uses it, with real keys, clicks, the clipboard and an IME in
// Chromium: a complete code stays in its slots, the frame follows the caret, undo and redo keep
// every step, a composition is read when it ends, and typing into a full field overwrites the slot
// under the caret. (README, "Code entry".)
import assert from "node:assert/strict";
import { test } from "node:test";
import { openCheckout, requestCode, useServerAndBrowser, waitFor } from "./harness.mjs";

const fixture = useServerAndBrowser();

/** The demo with a code sent, at `width` CSS pixels (`scale`: device pixels per CSS pixel). */
async function fieldReady({ width = 1280, scale = 1 } = {}) {
  const context = await fixture.browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: scale });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: fixture.server.url });
  const page = await openCheckout(context, fixture.server);
  await requestCode(page, fixture.server);
  const field = page.getByRole("textbox", { name: /code/i });
  await field.focus();
  return { page, field, close: () => context.close() };
}

const value = (field) => field.inputValue();
const caret = (field) => field.evaluate((input) => [input.selectionStart, input.selectionEnd]);
/** The slot the widget frames as the caret's. */
const framed = async (field) => Number(await field.evaluate((input) => input.style.getPropertyValue("--cv-i")));
/** Waits until the frame is on `slot` (the browser reports a moved caret a moment after the key). */
const frameOn = (field, slot) => waitFor(`the frame on slot ${slot}`, async () => (await framed(field)) === slot, 2_000);

/**
 * Where each character of the field is drawn and where each slot is, in CSS pixels from the
 * field's left edge: glyphs measured on a copy of the field's text with its font and spacing,
 * slots from the stylesheet's pitch (a character plus its spacing) less the gap between slots.
 */
function geometry(field) {
  return field.evaluate((input) => {
    const style = getComputedStyle(input);
    const probe = document.createElement("span");
    for (const property of ["font", "letter-spacing", "font-kerning", "font-feature-settings"]) {
      probe.style.setProperty(property, style.getPropertyValue(property));
    }
    probe.style.whiteSpace = "pre";
    probe.style.position = "absolute";
    probe.textContent = input.value;
    input.getRootNode().append(probe);
    const range = document.createRange();
    const origin = probe.getBoundingClientRect().left;
    const glyphs = [...input.value].map((_, k) => {
      range.setStart(probe.firstChild, k);
      range.setEnd(probe.firstChild, k + 1);
      const rect = range.getBoundingClientRect();
      return { left: rect.left - origin, right: rect.right - origin };
    });
    probe.remove();
    const pitch = glyphs.length > 1 ? glyphs[1].left - glyphs[0].left : 0;
    const fontSize = parseFloat(style.fontSize);
    const padding = parseFloat(style.paddingLeft);
    const spacing = parseFloat(style.letterSpacing);
    return {
      scrollLeft: input.scrollLeft,
      overflow: input.scrollWidth - input.clientWidth,
      // A glyph's ink is its advance less the letter spacing after it.
      glyphs: glyphs.map((g) => ({ left: padding + g.left - input.scrollLeft, right: padding + g.right - spacing - input.scrollLeft })),
      slots: glyphs.map((_, k) => ({ left: k * pitch, right: k * pitch + pitch - 0.35 * fontSize })),
      width: input.getBoundingClientRect().width,
    };
  });
}

for (const { width, scale } of [
  { width: 320, scale: 2 },
  { width: 375, scale: 1 },
  { width: 1280, scale: 1 },
]) {
  test(`a complete code stays in its slots, focused, at ${width} px${scale > 1 ? " and 200% zoom" : ""}`, async () => {
    const { page, field, close } = await fieldReady({ width, scale });
    await page.keyboard.type("123456");
    assert.deepEqual(await caret(field), [6, 6], "the caret after the last digit");
    const shape = await geometry(field);
    assert.equal(shape.scrollLeft, 0, "the field does not scroll to show the caret");
    assert.ok(shape.overflow <= 0, `the text and caret fit the field (${shape.overflow} px over)`);
    shape.glyphs.forEach((glyph, k) => {
      const slot = shape.slots[k];
      assert.ok(
        glyph.left >= slot.left - 0.5 && glyph.right <= slot.right + 0.5,
        `digit ${k + 1} (${glyph.left.toFixed(1)}–${glyph.right.toFixed(1)}) lies in its slot (${slot.left.toFixed(1)}–${slot.right.toFixed(1)})`,
      );
    });
    assert.ok(shape.slots.at(-1).right <= shape.width, "the last slot is inside the field");
    await close();
  });
}

test("the frame follows the caret: arrows, Home, End and a click on a slot", async () => {
  const { page, field, close } = await fieldReady();
  await page.keyboard.type("123456");
  await frameOn(field, 5); // past a complete code: the last slot
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await frameOn(field, 4);
  await page.keyboard.press("Home");
  await frameOn(field, 0);
  await page.keyboard.press("ArrowRight");
  await frameOn(field, 1);
  await page.keyboard.press("End");
  await frameOn(field, 5);
  // A tap on the third slot's left half puts the caret before its digit.
  const shape = await geometry(field);
  const box = await field.boundingBox();
  await page.mouse.click(box.x + shape.slots[2].left + 2, box.y + box.height / 2);
  assert.deepEqual(await caret(field), [2, 2]);
  await frameOn(field, 2);
  await close();
});

test("typing into a full field overwrites the slot under the caret, at every position", async () => {
  const { page, field, close } = await fieldReady();
  for (let at = 0; at <= 6; at++) {
    await field.fill("123456");
    await page.keyboard.press("Home");
    for (let i = 0; i < at; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.type("9");
    const expected = at < 6 ? `${"123456".slice(0, at)}9${"123456".slice(at + 1)}` : "123456";
    assert.equal(await value(field), expected, `caret at ${at}`);
    assert.deepEqual(await caret(field), at < 6 ? [at + 1, at + 1] : [6, 6], `caret at ${at} moves on`);
  }
  await close();
});

test("a character that is not a code character changes nothing, the caret included", async () => {
  const { page, field, close } = await fieldReady();
  await page.keyboard.type("12");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.type("a");
  assert.equal(await value(field), "12");
  assert.deepEqual(await caret(field), [1, 1], "the caret stays where it was");
  await page.keyboard.type("3");
  assert.equal(await value(field), "132");
  await close();
});

test("undo and redo after a paste and after typing, each step the shopper's own", async () => {
  const { page, field, close } = await fieldReady();
  await page.keyboard.type("12");
  await page.evaluate(() => navigator.clipboard.writeText("3-4"));
  await page.keyboard.press("Control+V");
  assert.equal(await value(field), "1234", "the paste goes in cleaned");
  await page.keyboard.press("Control+Z");
  assert.equal(await value(field), "12", "undo takes back the paste alone");
  await page.keyboard.press("Control+Shift+Z");
  assert.equal(await value(field), "1234", "redo puts it back");
  await page.keyboard.press("Control+Z");
  await page.keyboard.type("5");
  assert.equal(await value(field), "125");
  await page.keyboard.press("Control+Z");
  assert.equal(await value(field), "12", "no digit the shopper never entered");
  await page.keyboard.press("Control+Z");
  assert.equal(await value(field), "", "back to the start");
  await page.keyboard.press("Control+Shift+Z");
  await page.keyboard.press("Control+Shift+Z");
  assert.equal(await value(field), "125");
  // A whole text message replaces the field as one step too.
  await page.evaluate(() => navigator.clipboard.writeText("Your code is 482913.\n\n@127.0.0.1 #482913"));
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+V");
  assert.equal(await value(field), "482913");
  await page.keyboard.press("Control+Z");
  assert.equal(await value(field), "125");
  await close();
});

test("an IME composition of full-width digits is left alone until it ends, then read as digits", async () => {
  const { page, field, close } = await fieldReady();
  const cdp = await page.context().newCDPSession(page);
  await page.keyboard.type("1");
  await cdp.send("Input.imeSetComposition", { text: "２", selectionStart: 1, selectionEnd: 1 });
  await cdp.send("Input.imeSetComposition", { text: "２３", selectionStart: 2, selectionEnd: 2 });
  assert.equal(await value(field), "1２３", "nothing rewrites the value while the composition is open");
  await cdp.send("Input.insertText", { text: "２３" });
  assert.equal(await value(field), "123");
  assert.deepEqual(await caret(field), [3, 3]);
  await page.keyboard.type("456");
  assert.equal(await value(field), "123456");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "not right" }).waitFor();
  await close();
});
