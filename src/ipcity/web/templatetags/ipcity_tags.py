from django import template

from ipcity.workflow.core import UNKNOWN_LABEL

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plain_number(value):
    """A decimal as a person writes it: 26000, not 2.6E+4 (what Decimal.normalize shows); 3.5, not 3.5000."""
    if value is None or value == "":
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---- Chinese labels for the codes the platform stores (a code is never shown to a person) ----

@register.filter
def audit_action(code):
    """`auth.login` → 登录 (unknown codes: 其他操作)."""
    from ipcity.audit.labels import action_label

    return action_label(code)


@register.filter
def audit_changes(entry):
    """An audit row's changed fields as labelled rows ({field, before, after}), values in Chinese."""
    from ipcity.audit.labels import changes

    return changes(entry)


@register.filter
def audit_channel(code):
    from ipcity.audit.labels import channel_label

    return channel_label(code)


def _workflow(name):
    from ipcity.workflow.catalog import workflows_by_name

    return workflows_by_name().get(name)


@register.filter
def step_label(action, workflow_name):
    """A workflow step by its table's label: `{{ h.action|step_label:"supervision.work_item" }}` → 交办."""
    workflow = _workflow(workflow_name)
    return workflow.action_label(action) if workflow is not None else UNKNOWN_LABEL


@register.filter
def state_label(state, workflow_name):
    """A workflow state by its table's label: `{{ h.to_state|state_label:"supervision.work_item" }}` → 已交办."""
    workflow = _workflow(workflow_name)
    return workflow.state_label(state) if workflow is not None else UNKNOWN_LABEL


@register.filter
def perm_label(code):
    from ipcity.accounts.roles import PERM_LABELS

    return PERM_LABELS.get(code, UNKNOWN_LABEL)
