import { describe, expect, it } from 'vitest';
import { headline } from './headline.ts';

describe('headline', () => {
  it('reads a classifier by validation accuracy and a regressor by validation RMSE', () => {
    expect(headline({ validationAccuracy: 0.9712, validationLoss: 0.1 })).toMatchObject({ key: 'validationAccuracy', value: 0.9712, text: '97.1 %', lowerIsBetter: false });
    expect(headline({ validationRmse: 312.44, validationLoss: 0.2 })).toMatchObject({ key: 'validationRmse', value: 312.44, text: 'RMSE 312.4', lowerIsBetter: true });
    expect(headline({ validationRmse: 0.00001234 }).text).toBe('RMSE 1.234e-5');
  });

  it('says – when nothing is measured yet', () => {
    expect(headline(null).text).toBe('–');
    expect(headline({}).value).toBeUndefined();
  });
});
