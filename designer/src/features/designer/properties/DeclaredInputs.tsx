import { Divider } from 'antd';
import { Fragment } from 'react';
import type { ActivityInputDescriptor, ActivityNode } from '../../../shared/flow';
import { editorFor } from './inputs/registry';
import type { PanelContext, SetInput } from './inputs/types';

/** Declared inputs in their order, each with its hint's editor, under a heading where the category changes. */
export function DeclaredInputs({
  activity,
  inputs,
  context,
  set,
}: {
  activity: ActivityNode;
  inputs: readonly ActivityInputDescriptor[];
  context: PanelContext;
  set: SetInput;
}) {
  const shown = inputs.filter((input) => input.browsable !== false);
  return (
    <>
      {shown.map((input, i) => {
        const heading = input.category && input.category !== shown[i - 1]?.category ? input.category : null;
        const Editor = editorFor(input.uiHint);
        return (
          <Fragment key={input.name}>
            {heading && (
              <Divider plain orientation="left">
                {heading}
              </Divider>
            )}
            <Editor activity={activity} input={input} context={context} set={set} />
          </Fragment>
        );
      })}
    </>
  );
}
