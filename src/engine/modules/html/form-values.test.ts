import { describe, expect, it } from 'vitest';
import { parseHTML } from './html-module.ts';

const FORM = `<form id="form1">
  <input id="text_input" name="text_input" type="text" value="input-text-value"/>
  <input name="empty_text_input1" type="text" value="" />
  <input name="empty_text_input2" type="text" />
  <select name="select_one"><option value="not this option">no</option><option value="yes this option" selected>yes</option></select>
  <select name="select_multi" multiple><option>option 1</option><option selected>option 2</option><option selected>option 3</option></select>
  <textarea name="textarea">Lorem ipsum dolor sit amet</textarea>
  <input type="checkbox" name="checkbox1" value="some checkbox" checked="checked" />
  <input type="checkbox" name="checkbox2" checked="checked" />
  <input type="checkbox" name="checkbox3" />
  <input type="checkbox" name="checkbox4" checked />
  <input type="radio" name="radio1" value="some radio" checked="checked" />
  <input type="text" name="disabled1" value="x" disabled="disabled" />
  <input type="submit" name="submit" value="Go" />
  <input type="file" name="file" />
  <input type="text" value="no name" />
</form>`;

describe('k6/html form serialization', () => {
  it('serializeArray() lists submittable named controls in document order, with k6\'s checked/disabled rules', () => {
    expect(parseHTML(FORM).find('form').serializeArray()).toEqual([
      { name: 'text_input', value: 'input-text-value' },
      { name: 'empty_text_input1', value: '' },
      { name: 'empty_text_input2', value: '' },
      { name: 'select_one', value: 'yes this option' },
      { name: 'select_multi', value: ['option 2', 'option 3'] },
      { name: 'textarea', value: 'Lorem ipsum dolor sit amet' },
      { name: 'checkbox1', value: 'some checkbox' },
      { name: 'checkbox2', value: 'on' },
      { name: 'radio1', value: 'some radio' },
    ]);
  });

  it('serializes a set of controls when the selection is not a form', () => {
    const names = parseHTML(FORM).find('input').serializeArray().map((v) => v.name);
    expect(names).toEqual(['text_input', 'empty_text_input1', 'empty_text_input2', 'checkbox1', 'checkbox2', 'radio1']);
  });

  it('serializeObject() keys by name; serialize() URL-encodes with sorted keys as Go does', () => {
    const form = parseHTML(FORM).find('form');
    expect(form.serializeObject()).toMatchObject({ select_multi: ['option 2', 'option 3'], checkbox2: 'on' });
    expect(form.serialize()).toBe(
      'checkbox1=some+checkbox&checkbox2=on&empty_text_input1=&empty_text_input2=&radio1=some+radio' +
      '&select_multi=option+2&select_multi=option+3&select_one=yes+this+option&text_input=input-text-value' +
      '&textarea=Lorem+ipsum+dolor+sit+amet',
    );
  });
});
