import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';

describe('detectLanguage', () => {
  it('tells scripts and common Latin-script languages apart', () => {
    expect(detectLanguage('北京时间今天上午，国务院召开常务会议，研究部署经济工作。')).toBe('zh');
    expect(detectLanguage('東京では今日、新しい政策が発表されました。')).toBe('ja');
    expect(detectLanguage('서울에서 오늘 새로운 정책이 발표되었습니다')).toBe('ko');
    expect(detectLanguage('Le gouvernement a annoncé que les nouvelles règles sont dans la loi pour une année.')).toBe(
      'fr',
    );
    expect(
      detectLanguage('Die Regierung hat gesagt, dass die neuen Regeln nicht mit der Sache auf den Weg sind.'),
    ).toBe('de');
    expect(detectLanguage('The council said that the rules of the river were in effect for the year.')).toBe('en');
    expect(detectLanguage('قالت الحكومة اليوم إن القواعد الجديدة ستدخل حيز التنفيذ')).toBe('ar');
    expect(detectLanguage('', 'nl')).toBe('nl');
  });
});
