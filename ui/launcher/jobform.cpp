// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "jobform.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>

#include "api/jobschemainfo.h"
#include "api/json.h"
#include "models/humanize.h"
#include "ui/launcher/launchcatalog.h"
#include "ui/theme.h"
#include "ui/widgets/statepage.h"

namespace pf::ui {

namespace {

constexpr int kMaxListedFiles = 500;
const QString kEnvPath = QStringLiteral("job_setting.docker.env_var");
const QString kCommandPath = QStringLiteral("job_setting.docker.command");

// Sets (or with an undefined value, removes) `path` in `o`, making the
// mappings on the way; removing leaves no empty mapping behind.
void setAt(QJsonObject &o, QStringView path, const QJsonValue &value)
{
    const qsizetype dot = path.indexOf(u'.');
    if (dot < 0) {
        if (value.isUndefined())
            o.remove(path);
        else
            o.insert(path, value);
        return;
    }
    const QStringView key = path.left(dot);
    QJsonObject child = o.value(key).toObject();
    setAt(child, path.mid(dot + 1), value);
    if (child.isEmpty() && value.isUndefined())
        o.remove(key);
    else
        o.insert(key, child);
}

// A string value as the form shows it: strings as they are, numbers and
// booleans as YAML writes them, anything else empty.
QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

void showText(QLineEdit *edit, const QString &text)
{
    if (edit->text() != text)
        edit->setText(text);
}

void showText(QPlainTextEdit *edit, const QString &text)
{
    if (edit->toPlainText() != text)
        edit->setPlainText(text);
}

// Selects the item whose data is `value`; a value the list lacks gets an
// item of its own, marked, so that the form never shows something else.
void showChoice(QComboBox *combo, const QString &value, const QString &missingNote)
{
    for (int i = combo->count() - 1; i >= 0; --i)
        if (combo->itemData(i, Qt::UserRole + 1).toBool())
            combo->removeItem(i);
    int index = combo->findData(value);
    if (index < 0) {
        combo->addItem(QStringLiteral("%1 (%2)").arg(value, missingNote), value);
        index = combo->count() - 1;
        combo->setItemData(index, true, Qt::UserRole + 1);
    }
    combo->setCurrentIndex(index);
}

QLabel *heading(const QString &text)
{
    auto *label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    label->setFont(f);
    label->setContentsMargins(0, 12, 0, 2);
    return label;
}

QLineEdit *lineEdit(const QString &name, const QString &placeholder)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

QPlainTextEdit *commandEdit(const QString &name, const QString &placeholder)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    edit->setFont(mono);
    const int lines = name == u"runCommand" ? 5 : 2;
    edit->setFixedHeight(QFontMetrics(mono).lineSpacing() * lines + 12);
    return edit;
}

QSpinBox *spinBox(const QString &name, int minimum, int maximum)
{
    auto *box = new QSpinBox;
    box->setObjectName(name);
    box->setRange(minimum, maximum);
    box->setAccelerated(true);
    return box;
}

} // namespace

JobForm::JobForm(LaunchCatalog *catalog, QWidget *parent)
    : QScrollArea(parent)
    , m_catalog(catalog)
    , m_banner(new InlineMessage)
    , m_otherProblems(new QLabel)
    , m_experiment(new QComboBox)
    , m_name(lineEdit(QStringLiteral("jobName"), tr("Optional; need not be unique")))
    , m_vm(new QComboBox)
    , m_devices(spinBox(QStringLiteral("numDevices"), 0, 4096))
    , m_nodes(new QLabel)
    , m_image(lineEdit(QStringLiteral("image"), QStringLiteral("friendliai/periflow:sdk")))
    , m_registryCredential(new QComboBox)
    , m_setup(commandEdit(QStringLiteral("setupCommand"),
                          tr("Optional: runs first on every node, e.g. pip install -r "
                             "requirements.txt")))
    , m_run(commandEdit(QStringLiteral("runCommand"),
                        QStringLiteral("cd /workspace/cifar && python3 main.py")))
    , m_env(new QTableWidget(0, 2))
    , m_folderEdit(new QLineEdit)
    , m_planSummary(new QLabel)
    , m_planFiles(new QListWidget)
    , m_workspaceMount(lineEdit(QStringLiteral("workspaceMount"), QStringLiteral("/workspace")))
    , m_dataset(new QComboBox)
    , m_dataMount(lineEdit(QStringLiteral("dataMount"), QStringLiteral("/workspace/data")))
    , m_inputCheckpoint(new QComboBox)
    , m_inputMount(
          lineEdit(QStringLiteral("inputCheckpointMount"), QStringLiteral("/workspace/input")))
    , m_outputDir(
          lineEdit(QStringLiteral("outputCheckpointDir"), QStringLiteral("/workspace/ckpt")))
    , m_dist(new QCheckBox(tr("Split the model across devices")))
    , m_dp(spinBox(QStringLiteral("dpDegree"), 1, 4096))
    , m_pp(spinBox(QStringLiteral("ppDegree"), 1, 4096))
    , m_mp(spinBox(QStringLiteral("mpDegree"), 1, 4096))
    , m_wandb(new QComboBox)
    , m_slack(new QComboBox)
    , m_slackChannel(lineEdit(QStringLiteral("slackChannel"), QStringLiteral("#ml")))
    , m_customOnly(new QWidget)
{
    setObjectName(QStringLiteral("jobForm"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);

    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 8, 16, 16);
    m_banner->hide();
    layout->addWidget(m_banner);
    m_otherProblems->setObjectName(QStringLiteral("otherProblems"));
    m_otherProblems->setWordWrap(true);
    m_otherProblems->hide();
    layout->addWidget(m_otherProblems);

    const auto newForm = [layout](QWidget *into = nullptr) {
        auto *form = new QFormLayout;
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setRowWrapPolicy(QFormLayout::DontWrapRows);
        form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
        if (into) {
            auto *box = qobject_cast<QVBoxLayout *>(into->layout());
            box->addLayout(form);
        } else {
            layout->addLayout(form);
        }
        return form;
    };

    // The job.
    layout->addWidget(heading(tr("Job")));
    QFormLayout *form = newForm();
    m_experiment->setObjectName(QStringLiteral("experiment"));
    m_experiment->setEditable(true);
    m_experiment->setInsertPolicy(QComboBox::NoInsert);
    m_experiment->lineEdit()->setPlaceholderText(tr("An existing experiment, or a new name"));
    addRow(form, tr("Experiment"), m_experiment, QStringLiteral("experiment"));
    m_fields.insert(QStringLiteral("experiment_id"), m_fields.value(QStringLiteral("experiment")));
    addRow(form, tr("Name"), m_name, QStringLiteral("name"));

    // Where it runs.
    layout->addWidget(heading(tr("Resources")));
    form = newForm();
    m_vm->setObjectName(QStringLiteral("vm"));
    addRow(form, tr("VM type"), m_vm, QStringLiteral("vm"));
    m_fields.insert(QStringLiteral("vm_config_id"), m_fields.value(QStringLiteral("vm")));
    auto *devices = new QWidget;
    auto *devicesRow = new QHBoxLayout(devices);
    devicesRow->setContentsMargins(0, 0, 0, 0);
    devicesRow->addWidget(m_devices);
    m_nodes->setObjectName(QStringLiteral("nodes"));
    devicesRow->addWidget(m_nodes, 1);
    addRow(form, tr("Devices"), devices, QStringLiteral("num_devices"));

    // What it runs (custom jobs).
    auto *custom = new QVBoxLayout(m_customOnly);
    custom->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_customOnly);
    custom->addWidget(heading(tr("Container")));
    form = newForm(m_customOnly);
    addRow(form, tr("Image"), m_image, QStringLiteral("job_setting.docker.image"));
    m_registryCredential->setObjectName(QStringLiteral("registryCredential"));
    addRow(form, tr("Registry login"), m_registryCredential,
           QStringLiteral("job_setting.docker.credential_id"));
    addRow(form, tr("Setup"), m_setup, QStringLiteral("job_setting.docker.command.setup"));
    addRow(form, tr("Run"), m_run, kCommandPath);
    auto *envBox = new QWidget;
    auto *envLayout = new QVBoxLayout(envBox);
    envLayout->setContentsMargins(0, 0, 0, 0);
    m_env->setObjectName(QStringLiteral("env"));
    m_env->setHorizontalHeaderLabels({tr("Variable"), tr("Value")});
    m_env->horizontalHeader()->setStretchLastSection(true);
    m_env->verticalHeader()->hide();
    m_env->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_env->setFixedHeight(m_env->horizontalHeader()->sizeHint().height() +
                          3 * m_env->verticalHeader()->defaultSectionSize() + 4);
    envLayout->addWidget(m_env);
    auto *envButtons = new QHBoxLayout;
    auto *addEnv = new QPushButton(tr("Add variable"));
    addEnv->setObjectName(QStringLiteral("addEnv"));
    auto *removeEnv = new QPushButton(tr("Remove"));
    removeEnv->setObjectName(QStringLiteral("removeEnv"));
    envButtons->addWidget(addEnv);
    envButtons->addWidget(removeEnv);
    envButtons->addStretch();
    envLayout->addLayout(envButtons);
    addRow(form, tr("Environment"), envBox, kEnvPath);

    custom->addWidget(heading(tr("Workspace")));
    form = newForm(m_customOnly);
    auto *folderBox = new QWidget;
    auto *folderLayout = new QVBoxLayout(folderBox);
    folderLayout->setContentsMargins(0, 0, 0, 0);
    auto *folderRow = new QHBoxLayout;
    m_folderEdit->setObjectName(QStringLiteral("workspaceFolder"));
    m_folderEdit->setReadOnly(true);
    m_folderEdit->setPlaceholderText(tr("None: the job gets no files of yours"));
    auto *choose = new QPushButton(tr("Choose…"));
    choose->setObjectName(QStringLiteral("chooseFolder"));
    auto *clear = new QPushButton(tr("Clear"));
    clear->setObjectName(QStringLiteral("clearFolder"));
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(choose);
    folderRow->addWidget(clear);
    folderLayout->addLayout(folderRow);
    m_planSummary->setObjectName(QStringLiteral("workspaceSummary"));
    m_planSummary->setWordWrap(true);
    m_planSummary->setText(tr("The folder's files are zipped and sent with the job, up to "
                              "100 MB; a .pfignore in it leaves files out."));
    folderLayout->addWidget(m_planSummary);
    m_planFiles->setObjectName(QStringLiteral("workspaceFiles"));
    m_planFiles->setFixedHeight(120);
    m_planFiles->hide();
    folderLayout->addWidget(m_planFiles);
    addRow(form, tr("Folder"), folderBox, QStringLiteral("workspace folder"));
    addRow(form, tr("Mounted at"), m_workspaceMount, QStringLiteral("job_setting.workspace"));

    // Data in, checkpoints out.
    layout->addWidget(heading(tr("Data and checkpoints")));
    form = newForm();
    m_dataset->setObjectName(QStringLiteral("dataset"));
    addRow(form, tr("Dataset"), m_dataset, QStringLiteral("data"));
    addRow(form, tr("Dataset at"), m_dataMount, QStringLiteral("data.mount_path"));
    m_inputCheckpoint->setObjectName(QStringLiteral("inputCheckpoint"));
    addRow(form, tr("Start from"), m_inputCheckpoint, QStringLiteral("checkpoint.input"));
    addRow(form, tr("Checkpoint at"), m_inputMount, QStringLiteral("checkpoint.input.mount_path"));
    addRow(form, tr("Save checkpoints in"), m_outputDir,
           QStringLiteral("checkpoint.output_checkpoint_dir"));

    layout->addWidget(heading(tr("Distribution")));
    form = newForm();
    auto *distBox = new QWidget;
    auto *distColumn = new QVBoxLayout(distBox);
    distColumn->setContentsMargins(0, 0, 0, 0);
    m_dist->setObjectName(QStringLiteral("dist"));
    distColumn->addWidget(m_dist);
    auto *distLayout = new QHBoxLayout;
    distColumn->addLayout(distLayout);
    for (auto [box, text] : {std::pair{m_dp, tr("Data")}, std::pair{m_pp, tr("Pipeline")},
                             std::pair{m_mp, tr("Tensor")}}) {
        distLayout->addWidget(new QLabel(text));
        distLayout->addWidget(box);
        box->setEnabled(false);
    }
    distLayout->addStretch();
    addRow(form, tr("Parallelism"), distBox, QStringLiteral("dist"));

    layout->addWidget(heading(tr("Plugins")));
    form = newForm();
    m_wandb->setObjectName(QStringLiteral("wandb"));
    addRow(form, tr("Weights && Biases"), m_wandb, QStringLiteral("plugin.wandb"));
    m_slack->setObjectName(QStringLiteral("slack"));
    addRow(form, tr("Slack"), m_slack, QStringLiteral("plugin.slack"));
    addRow(form, tr("Slack channel"), m_slackChannel, QStringLiteral("plugin.slack.channel"));
    layout->addStretch();
    // Combos size to a sensible width, not to their longest item.
    for (QComboBox *combo : page->findChildren<QComboBox *>()) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(16);
    }
    setWidget(page);
    // One label column for every section.
    int labelWidth = 0;
    for (const QLabel *label : std::as_const(m_labels))
        labelWidth = std::max(labelWidth, label->sizeHint().width());
    for (QLabel *label : std::as_const(m_labels))
        label->setMinimumWidth(labelWidth);

    // Every user change becomes one edit of one path.
    const auto edit = [this](const QString &path, const QJsonValue &value) {
        if (m_updating || api::valueAtPath(m_spec, path) == value)
            return;
        setAt(m_spec, path, value);
        Q_EMIT edited(path, value);
    };
    const auto text = [](const QString &s) {
        return s.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(s);
    };
    const auto bindLine = [this, edit, text](QLineEdit *line, const QString &path) {
        connect(line, &QLineEdit::textChanged, this,
                [edit, text, path](const QString &s) { edit(path, text(s)); });
    };
    connect(
        m_experiment->lineEdit(), &QLineEdit::textChanged, this,
        [edit, text](const QString &s) { edit(QStringLiteral("experiment"), text(s.trimmed())); });
    bindLine(m_name, QStringLiteral("name"));
    connect(m_vm, &QComboBox::activated, this, [this, edit, text] {
        edit(QStringLiteral("vm"), text(m_vm->currentData().toString()));
        showNodes();
    });
    connect(m_devices, &QSpinBox::valueChanged, this, [this, edit](int n) {
        edit(QStringLiteral("num_devices"), n);
        showNodes();
    });
    bindLine(m_image, QStringLiteral("job_setting.docker.image"));
    connect(m_registryCredential, &QComboBox::activated, this, [this, edit, text] {
        edit(QStringLiteral("job_setting.docker.credential_id"),
             text(m_registryCredential->currentData().toString()));
    });
    connect(m_setup, &QPlainTextEdit::textChanged, this, &JobForm::commandEdited);
    connect(m_run, &QPlainTextEdit::textChanged, this, &JobForm::commandEdited);
    connect(m_env, &QTableWidget::itemChanged, this, &JobForm::envEdited);
    connect(addEnv, &QPushButton::clicked, this, [this] {
        const QSignalBlocker blocker(m_env);
        const int row = m_env->rowCount();
        m_env->insertRow(row);
        m_env->setItem(row, 0, new QTableWidgetItem);
        m_env->setItem(row, 1, new QTableWidgetItem);
        m_env->setCurrentCell(row, 0);
        m_env->editItem(m_env->item(row, 0));
    });
    connect(removeEnv, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_env->selectionModel()->selectedRows())
            rows.append(index.row());
        std::sort(rows.rbegin(), rows.rend());
        for (int row : rows)
            m_env->removeRow(row);
        envEdited();
    });
    connect(choose, &QPushButton::clicked, this, &JobForm::chooseFolder);
    connect(clear, &QPushButton::clicked, this, [this] { setWorkspaceFolder({}); });
    bindLine(m_workspaceMount, QStringLiteral("job_setting.workspace.mount_path"));
    // A choice of "none" removes `parent`; any other sets parent.key, and the
    // mount path with its usual value when the file has none yet.
    const auto bindChoice = [this, edit](QComboBox *combo, const QString &parent,
                                         const QString &key, const QString &mountPath = {}) {
        connect(combo, &QComboBox::activated, this, [this, edit, combo, parent, key, mountPath] {
            const QString value = combo->currentData().toString();
            if (value.isEmpty()) {
                edit(parent, QJsonValue::Undefined);
                return;
            }
            edit(parent + u'.' + key, value);
            const QString mount = parent + QStringLiteral(".mount_path");
            if (!mountPath.isEmpty() && api::valueAtPath(m_spec, mount).isUndefined())
                edit(mount, mountPath);
        });
    };
    bindChoice(m_dataset, QStringLiteral("data"), QStringLiteral("name"),
               QStringLiteral("/workspace/data"));
    bindLine(m_dataMount, QStringLiteral("data.mount_path"));
    bindChoice(m_inputCheckpoint, QStringLiteral("checkpoint.input"), QStringLiteral("id"),
               QStringLiteral("/workspace/input"));
    bindLine(m_inputMount, QStringLiteral("checkpoint.input.mount_path"));
    bindLine(m_outputDir, QStringLiteral("checkpoint.output_checkpoint_dir"));
    connect(m_dist, &QCheckBox::toggled, this, &JobForm::distToggled);
    for (auto [box, key] : {std::pair{m_dp, QStringLiteral("dist.dp_degree")},
                            std::pair{m_pp, QStringLiteral("dist.pp_degree")},
                            std::pair{m_mp, QStringLiteral("dist.mp_degree")}})
        connect(box, &QSpinBox::valueChanged, this, [edit, key](int n) { edit(key, n); });
    bindChoice(m_wandb, QStringLiteral("plugin.wandb"), QStringLiteral("credential_id"));
    bindChoice(m_slack, QStringLiteral("plugin.slack"), QStringLiteral("credential_id"));
    bindLine(m_slackChannel, QStringLiteral("plugin.slack.channel"));

    connect(m_catalog, &LaunchCatalog::changed, this, &JobForm::fillChoices);
    fillChoices();
}

JobForm::~JobForm() = default;

QWidget *JobForm::addRow(QFormLayout *form, const QString &label, QWidget *widget,
                         const QString &key)
{
    auto *box = new QWidget;
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(widget);
    auto *problem = new QLabel;
    problem->setObjectName(QStringLiteral("problem"));
    problem->setWordWrap(true);
    problem->setTextFormat(Qt::PlainText);
    problem->hide();
    column->addWidget(problem);
    auto *labelWidget = new QLabel(label);
    labelWidget->setAlignment(Qt::AlignRight | Qt::AlignTop);
    labelWidget->setContentsMargins(0, 4, 0, 0);
    labelWidget->setBuddy(widget);
    m_labels.append(labelWidget);
    form->addRow(labelWidget, box);
    // The schema's words, as hovering the key in the YAML shows them.
    const QString help = api::JobSchemaInfo::description(key);
    if (!help.isEmpty()) {
        widget->setToolTip(help);
        labelWidget->setToolTip(help);
    }
    m_fields.insert(key, {widget, problem});
    return box;
}

void JobForm::fillChoices()
{
    const bool updating = std::exchange(m_updating, true);
    {
        const QSignalBlocker blocker(m_experiment);
        const QString typed = m_experiment->currentText();
        m_experiment->clear();
        for (const QString &name : m_catalog->values(QStringLiteral("experiment")))
            m_experiment->addItem(name, name);
        m_experiment->setEditText(typed);
    }
    {
        const QSignalBlocker blocker(m_vm);
        m_vm->clear();
        m_vm->addItem(tr("Choose a VM type…"), QString());
        for (int r = 0; r < m_catalog->vms()->rowCount(); ++r) {
            const models::VmsModel::Row row = m_catalog->vms()->row(r);
            const api::VmConfigType &t = row.config.vmConfigType;
            const QString memory = t.perGpuMemory > 0 ? tr("%1 GB each").arg(t.perGpuMemory)
                                                      : tr("%1 GB memory").arg(t.cpuMemory);
            m_vm->addItem(tr("%1 — %2 × %3, %4 · %5 of %6 free")
                              .arg(t.code)
                              .arg(t.numDevicesPerVm)
                              .arg(t.deviceType.isEmpty() ? tr("device") : t.deviceType, memory)
                              .arg(row.available())
                              .arg(row.quota),
                          t.code);
        }
    }
    const auto fill = [](QComboBox *combo, const QString &none,
                         const QList<std::pair<QString, QString>> &items) {
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(none, QString());
        for (const auto &[label, value] : items)
            combo->addItem(label, value);
    };
    const auto credentials = [this](const QString &type) {
        QList<std::pair<QString, QString>> items;
        for (const api::Credential &c : m_catalog->credentialsOfType(type))
            items.append({c.name, c.id});
        return items;
    };
    fill(m_registryCredential, tr("None (a public image)"), credentials(QStringLiteral("docker")));
    fill(m_wandb, tr("Off"), credentials(QStringLiteral("wandb")));
    fill(m_slack, tr("Off"), credentials(QStringLiteral("slack")));
    QList<std::pair<QString, QString>> datasets;
    for (int r = 0; r < m_catalog->datasets()->rowCount(); ++r) {
        const api::Dataset &d = m_catalog->datasets()->dataset(r);
        if (!d.isLinked())
            datasets.append({d.name, d.name});
    }
    fill(m_dataset, tr("None"), datasets);
    QList<std::pair<QString, QString>> checkpoints;
    for (const api::Checkpoint &c : m_catalog->checkpoints())
        checkpoints.append(
            {tr("%1 · iteration %2").arg(c.name.isEmpty() ? c.id : c.name).arg(c.iteration), c.id});
    fill(m_inputCheckpoint, tr("Nothing (a fresh start)"), checkpoints);
    m_updating = updating;
    setSpec(m_spec);
}

void JobForm::setSpec(const QJsonObject &spec)
{
    m_spec = spec;
    const bool updating = std::exchange(m_updating, true);
    const auto str = [&spec](QStringView path) { return textOf(api::valueAtPath(spec, path)); };

    if (m_experiment->currentText() != str(u"experiment"))
        m_experiment->setEditText(str(u"experiment"));
    showText(m_name, str(u"name"));
    showChoice(m_vm, str(u"vm"), tr("not offered here"));
    const QJsonValue devices = spec.value(u"num_devices");
    if (!devices.isDouble())
        m_devices->setValue(0); // shows the special text: "Choose", or "?" for a wrong value
    else if (m_devices->value() != devices.toInt())
        m_devices->setValue(devices.toInt());
    m_devices->setSpecialValueText(
        devices.isUndefined() || devices.isDouble() ? tr("Choose") : QStringLiteral("?"));

    const bool custom = str(u"job_setting.type") != u"predefined";
    m_customOnly->setEnabled(custom);
    m_customOnly->setToolTip(custom ? QString()
                                    : tr("A predefined job runs a template of the server; "
                                         "edit its settings in the YAML."));
    showText(m_image, str(u"job_setting.docker.image"));
    showChoice(m_registryCredential, str(u"job_setting.docker.credential_id"),
               tr("not a credential here"));
    const QJsonValue command = api::valueAtPath(spec, kCommandPath);
    if (command.isObject()) {
        showText(m_setup, textOf(command.toObject().value(u"setup")));
        showText(m_run, textOf(command.toObject().value(u"run")));
    } else {
        showText(m_setup, QString());
        showText(m_run, textOf(command));
    }
    showEnv(api::valueAtPath(spec, kEnvPath).toObject());
    showText(m_workspaceMount, str(u"job_setting.workspace.mount_path"));

    showChoice(m_dataset, str(u"data.name"), tr("not a dataset here"));
    showText(m_dataMount, str(u"data.mount_path"));
    showChoice(m_inputCheckpoint, str(u"checkpoint.input.id"), tr("not a checkpoint here"));
    showText(m_inputMount, str(u"checkpoint.input.mount_path"));
    showText(m_outputDir, str(u"checkpoint.output_checkpoint_dir"));

    const QJsonObject dist = spec.value(u"dist").toObject();
    m_dist->setChecked(spec.contains(u"dist"));
    for (auto [box, key] : {std::pair{m_dp, u"dp_degree"}, std::pair{m_pp, u"pp_degree"},
                            std::pair{m_mp, u"mp_degree"}}) {
        box->setEnabled(m_dist->isChecked());
        const int n = dist.value(key).toInt(1);
        if (box->value() != n)
            box->setValue(n);
    }
    showChoice(m_wandb, str(u"plugin.wandb.credential_id"), tr("not a credential here"));
    showChoice(m_slack, str(u"plugin.slack.credential_id"), tr("not a credential here"));
    showText(m_slackChannel, str(u"plugin.slack.channel"));
    showNodes();
    m_updating = updating;
}

void JobForm::showNodes()
{
    const auto vm = m_catalog->vm(m_vm->currentData().toString());
    const int devices = m_devices->value();
    if (!vm || devices <= 0) {
        m_nodes->clear();
        return;
    }
    const int perVm = std::max(1, vm->config.vmConfigType.numDevicesPerVm);
    const int nodes = (devices + perVm - 1) / perVm;
    m_nodes->setText(nodes == 1 ? tr("on 1 VM (%1 devices each)").arg(perVm)
                                : tr("on %1 VMs (%2 devices each)").arg(nodes).arg(perVm));
}

void JobForm::showEnv(const QJsonObject &env)
{
    if (env == m_shownEnv)
        return; // keeps a row whose name is still being typed
    m_shownEnv = env;
    const QSignalBlocker blocker(m_env);
    m_env->setRowCount(0);
    for (auto it = env.begin(); it != env.end(); ++it) {
        const int row = m_env->rowCount();
        m_env->insertRow(row);
        m_env->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_env->setItem(row, 1, new QTableWidgetItem(textOf(it.value())));
    }
}

void JobForm::envEdited()
{
    if (m_updating)
        return;
    QJsonObject env;
    for (int row = 0; row < m_env->rowCount(); ++row) {
        const QTableWidgetItem *name = m_env->item(row, 0);
        const QTableWidgetItem *value = m_env->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            env.insert(name->text().trimmed(), value ? value->text() : QString());
    }
    const QJsonObject before = m_shownEnv;
    m_shownEnv = env;
    if (env.isEmpty() && !before.isEmpty()) {
        setAt(m_spec, kEnvPath, QJsonValue::Undefined);
        Q_EMIT edited(kEnvPath, QJsonValue::Undefined);
        return;
    }
    for (auto it = before.begin(); it != before.end(); ++it) {
        if (!env.contains(it.key())) {
            const QString path = kEnvPath + u'.' + it.key();
            setAt(m_spec, path, QJsonValue::Undefined);
            Q_EMIT edited(path, QJsonValue::Undefined);
        }
    }
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (before.value(it.key()) != it.value()) {
            const QString path = kEnvPath + u'.' + it.key();
            setAt(m_spec, path, it.value());
            Q_EMIT edited(path, it.value());
        }
    }
}

void JobForm::commandEdited()
{
    if (m_updating)
        return;
    const QString setup = m_setup->toPlainText();
    const QString run = m_run->toPlainText();
    const QJsonValue command = api::valueAtPath(m_spec, kCommandPath);
    // One string while there is no setup command; {setup, run} otherwise.
    QString path = kCommandPath;
    QJsonValue value;
    if (command.isObject() && setup.isEmpty() && command.toObject().size() <= 2) {
        value = run; // the setup command went: back to one string
    } else if (command.isObject()) {
        const QJsonObject o = command.toObject();
        if (textOf(o.value(u"setup")) != setup) {
            path += QStringLiteral(".setup");
            value = setup.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(setup);
        } else {
            path += QStringLiteral(".run");
            value = run;
        }
    } else if (setup.isEmpty()) {
        value = run;
    } else {
        value = QJsonObject{{QStringLiteral("setup"), setup}, {QStringLiteral("run"), run}};
    }
    if (api::valueAtPath(m_spec, path) == value)
        return;
    setAt(m_spec, path, value);
    Q_EMIT edited(path, value);
}

void JobForm::distToggled(bool on)
{
    for (QSpinBox *box : {m_dp, m_pp, m_mp})
        box->setEnabled(on);
    if (m_updating || on == m_spec.contains(u"dist"))
        return;
    if (!on) {
        m_spec.remove(u"dist");
        Q_EMIT edited(QStringLiteral("dist"), QJsonValue::Undefined);
        return;
    }
    // Data parallel over every device is what a job without `dist` does.
    const QJsonObject dist{{QStringLiteral("dp_degree"), std::max(1, m_devices->value())},
                           {QStringLiteral("pp_degree"), 1},
                           {QStringLiteral("mp_degree"), 1}};
    m_spec.insert(u"dist", dist);
    Q_EMIT edited(QStringLiteral("dist"), dist);
}

void JobForm::setIssues(const QList<api::SpecIssue> &issues)
{
    // Fields may share a label (experiment and experiment_id, say).
    QHash<QLabel *, QStringList> lines;
    QHash<QLabel *, bool> anyError;
    QStringList others;
    for (const api::SpecIssue &issue : issues) {
        const bool error = issue.severity == api::SpecIssue::Error;
        const QString line = (error ? QStringLiteral("✗ ") : QStringLiteral("⚠ ")) + issue.message;
        const QString key = fieldKeyFor(issue.path);
        if (key.isEmpty()) {
            others.append(line);
            continue;
        }
        QLabel *label = m_fields.value(key).problem;
        lines[label].append(line);
        anyError[label] = anyError.value(label) || error;
    }
    for (const Field &field : std::as_const(m_fields))
        if (!lines.contains(field.problem))
            field.problem->hide();
    const QColor errorColor = statusColor(api::SimplifiedStatus::Failed);
    const QColor warningColor = statusColor(api::SimplifiedStatus::Preparing);
    for (auto it = lines.begin(); it != lines.end(); ++it) {
        QLabel *label = it.key();
        label->setText(it.value().join(u'\n'));
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, anyError.value(label) ? errorColor : warningColor);
        label->setPalette(p);
        label->show();
    }
    m_otherProblems->setText(others.join(u'\n'));
    QPalette p = m_otherProblems->palette();
    p.setColor(QPalette::WindowText, errorColor);
    m_otherProblems->setPalette(p);
    m_otherProblems->setVisible(!others.isEmpty());
}

void JobForm::setEditable(bool editable, const QString &why)
{
    widget()->setEnabled(true);
    for (QWidget *child : widget()->findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
        if (child != m_banner)
            child->setEnabled(editable);
    if (editable)
        m_banner->hide();
    else
        m_banner->showError(why);
}

QString JobForm::fieldKeyFor(const QString &path) const
{
    QString best;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        const QString &key = it.key();
        if ((path == key || path.startsWith(key + u'.')) && key.size() > best.size())
            best = key;
    }
    if (best.isEmpty() && path == u"job_setting.docker")
        best = kCommandPath; // a missing command or image is reported on the mapping
    return best;
}

QWidget *JobForm::fieldFor(const QString &path) const
{
    const QString key = fieldKeyFor(path);
    return key.isEmpty() ? nullptr : m_fields.value(key).widget;
}

void JobForm::chooseFolder()
{
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Workspace folder"), m_folder);
    if (folder.isEmpty())
        return;
    setWorkspaceFolder(folder);
}

void JobForm::setWorkspaceFolder(const QString &folder)
{
    m_folder = folder;
    m_folderEdit->setText(QDir::toNativeSeparators(folder));
    m_plan = {};
    const int generation = ++m_planGeneration;
    if (folder.isEmpty()) {
        m_planning = false;
        showPlan();
        Q_EMIT workspacePlanned();
        return;
    }
    m_planning = true;
    m_planSummary->setText(tr("Listing the files to send…"));
    // Listing a big tree takes a while; the form stays usable meanwhile.
    QPointer<JobForm> self(this);
    QThreadPool::globalInstance()->start([self, folder, generation] {
        network::WorkspacePlan plan = network::WorkspaceZip::plan(folder);
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, plan = std::move(plan)]() mutable {
                if (!self || generation != self->m_planGeneration)
                    return;
                self->m_plan = std::move(plan);
                self->m_planning = false;
                self->showPlan();
                Q_EMIT self->workspacePlanned();
            },
            Qt::QueuedConnection);
    });
}

void JobForm::showPlan()
{
    m_planFiles->clear();
    QPalette p = m_planSummary->palette();
    p.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    if (m_folder.isEmpty()) {
        m_planSummary->setText(tr("The folder's files are zipped and sent with the job, up to "
                                  "100 MB; a .pfignore in it leaves files out."));
        m_planFiles->hide();
        m_planSummary->setPalette(p);
        return;
    }
    if (!m_plan.ok()) {
        p.setColor(QPalette::WindowText, statusColor(api::SimplifiedStatus::Failed));
        m_planSummary->setText(QStringLiteral("✗ ") + m_plan.error);
    } else {
        const qsizetype n = m_plan.files.size();
        m_planSummary->setText((n == 1 ? tr("1 file to send, %1 of the %2 a job can take")
                                       : tr("%3 files to send, %1 of the %2 a job can take"))
                                   .arg(models::formatBytes(m_plan.totalBytes),
                                        models::formatBytes(network::WorkspaceZip::kMaxBytes),
                                        QString::number(n)));
    }
    m_planSummary->setPalette(p);
    for (const network::WorkspaceFile &file : m_plan.files) {
        if (m_planFiles->count() == kMaxListedFiles) {
            m_planFiles->addItem(tr("… and %1 more").arg(m_plan.files.size() - kMaxListedFiles));
            break;
        }
        m_planFiles->addItem(
            QStringLiteral("%1/%2  ·  %3")
                .arg(m_plan.rootName, file.relativePath, models::formatBytes(file.size)));
    }
    for (const QString &skipped : m_plan.skipped) {
        auto *item = new QListWidgetItem(tr("left out: %1").arg(skipped), m_planFiles);
        item->setForeground(palette().color(QPalette::PlaceholderText));
    }
    m_planFiles->setVisible(m_planFiles->count() > 0);
}

} // namespace pf::ui
